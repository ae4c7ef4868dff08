//! Routine services (certificates, subsidies) as a queueing process: residents' requests
//! need one or more services; each visit to a service hall queues for a counter with a
//! daily capacity; after a visit the back office processes the service before the resident
//! can go on. Without one-window acceptance (一窗受理) each service is a separate visit, one
//! after the other; with it, one visit hands in every service and the back office works
//! them together. A visit may have to be repeated (missing documents). Trips and waits are
//! counted from what happens, never set.

use std::collections::VecDeque;

use crate::rng::Rng;

impl Hall {
    /// A hall with `capacity` visits a day, with or without one-window acceptance.
    pub fn new(capacity: f64, one_window: bool) -> Hall {
        Hall {
            capacity,
            one_window,
            ..Hall::default()
        }
    }
}

/// Requests that move through a hall together: same arrival day, same services left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cohort {
    /// Day the requests were made.
    start: u32,
    /// Services still to hand in.
    left: u32,
    /// Requests in the cohort.
    n: u32,
}

/// A service hall: the street's, or a community's 3+X complex.
#[derive(Debug, Clone, Default)]
pub struct Hall {
    /// Visits a day its counters serve.
    pub capacity: f64,
    /// One visit hands in all of a request's services.
    pub one_window: bool,
    credit: f64,
    /// Visits waiting for a counter, first come first served.
    queue: VecDeque<Cohort>,
    /// Requests in back-office processing, by the day they may come back (or finish).
    processing: Vec<(u32, Cohort)>,
}

/// What the halls did in one day.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ServiceDay {
    /// Requests made.
    pub requests: u64,
    /// Trips (visits) made.
    pub trips: u64,
    /// Requests completed.
    pub completed: u64,
    /// Days from request to completion, summed over completed requests.
    pub days: u64,
}

/// Every hall and which hall serves each community.
#[derive(Debug, Clone, Default)]
pub struct ServiceHalls {
    /// The halls.
    pub halls: Vec<Hall>,
    /// Hall of each community.
    pub community_hall: Vec<u32>,
}

/// The rules of the process.
#[derive(Debug, Clone, Copy)]
pub struct ServiceRules {
    /// Probability that a visit must be repeated.
    pub redo_probability: f64,
    /// Days the back office takes to process handed-in services.
    pub processing_days: u32,
}

impl ServiceHalls {
    /// Adds `n` new requests of a community, each needing `services` services.
    pub fn request(&mut self, community: usize, tick: u32, services: u32, n: u32) {
        if n == 0 {
            return;
        }
        let h = self.community_hall[community] as usize;
        let hall = &mut self.halls[h];
        let c = Cohort {
            start: tick,
            left: services.max(1),
            n,
        };
        hall.queue.push_back(c);
    }

    /// Runs one day in every hall.
    pub fn serve(&mut self, tick: u32, rules: ServiceRules, rng: &mut Rng) -> ServiceDay {
        let mut day = ServiceDay::default();
        for hall in &mut self.halls {
            // Requests whose processing is done come back for their next service.
            let mut k = 0;
            while k < hall.processing.len() {
                if hall.processing[k].0 <= tick {
                    let (_, c) = hall.processing.swap_remove(k);
                    hall.queue.push_back(c);
                } else {
                    k += 1;
                }
            }
            hall.credit = (hall.credit + hall.capacity).min(hall.capacity.max(1.0));
            while hall.credit >= 1.0 {
                let Some(front) = hall.queue.front_mut() else {
                    break;
                };
                let m = front.n.min(hall.credit as u32);
                let served = Cohort { n: m, ..*front };
                front.n -= m;
                if front.n == 0 {
                    hall.queue.pop_front();
                }
                hall.credit -= m as f64;
                day.trips += m as u64;
                let redo = binomial(m, rules.redo_probability, rng);
                if redo > 0 {
                    // Missing documents: they come back tomorrow.
                    hall.processing
                        .push((tick + 1, Cohort { n: redo, ..served }));
                }
                let ok = m - redo;
                if ok == 0 {
                    continue;
                }
                let left = if hall.one_window { 0 } else { served.left - 1 };
                let back = tick + rules.processing_days.max(1);
                if left == 0 {
                    day.completed += ok as u64;
                    day.days += ok as u64 * (back - served.start) as u64;
                } else {
                    hall.processing.push((
                        back,
                        Cohort {
                            left,
                            n: ok,
                            ..served
                        },
                    ));
                }
            }
            // Keep the order of returning cohorts independent of removal order.
            hall.processing
                .sort_unstable_by_key(|&(t, c)| (t, c.start, c.left));
        }
        day
    }

    /// Requests waiting for a counter or in processing, over all halls.
    pub fn pending(&self) -> u64 {
        self.halls
            .iter()
            .map(|h| {
                h.queue.iter().map(|c| c.n as u64).sum::<u64>()
                    + h.processing.iter().map(|(_, c)| c.n as u64).sum::<u64>()
            })
            .sum()
    }
}

/// A binomial draw (exact for small `n`, normal approximation above 1,000 trials).
fn binomial(n: u32, p: f64, rng: &mut Rng) -> u32 {
    use rand_distr::Distribution;
    if n == 0 || p <= 0.0 {
        return 0;
    }
    rand_distr::Binomial::new(n as u64, p.min(1.0))
        .map(|b| b.sample(rng) as u32)
        .unwrap_or(0)
        .min(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn halls(capacity: f64, one_window: bool) -> ServiceHalls {
        ServiceHalls {
            halls: vec![Hall {
                capacity,
                one_window,
                ..Hall::default()
            }],
            community_hall: vec![0],
        }
    }

    fn run(mut h: ServiceHalls, days: u32, per_day: u32, services: u32) -> ServiceDay {
        let rules = ServiceRules {
            redo_probability: 0.0,
            processing_days: 2,
        };
        let mut rng = crate::rng::stream(1, crate::rng::Purpose::Issues, 0, 0);
        let mut total = ServiceDay::default();
        for t in 0..days {
            h.request(0, t, services, per_day);
            let d = h.serve(t, rules, &mut rng);
            total.trips += d.trips;
            total.completed += d.completed;
            total.days += d.days;
        }
        total
    }

    /// Separate windows cost one trip and one processing round per service; one window
    /// costs one trip and one round for all.
    #[test]
    fn one_window_cuts_trips_and_waits() {
        let separate = run(halls(100.0, false), 60, 10, 3);
        let one = run(halls(100.0, true), 60, 10, 3);
        assert_eq!(one.trips, 600);
        assert_eq!(one.days, one.completed * 2);
        assert!(separate.trips >= 3 * separate.completed);
        assert_eq!(separate.days, separate.completed * 6);
    }

    /// Waits grow when counters are scarce: they come from the queue, not a parameter.
    #[test]
    fn scarce_counters_make_queues() {
        let ample = run(halls(100.0, true), 60, 10, 1);
        let scarce = run(halls(10.5, true), 60, 10, 1);
        let wait = |d: ServiceDay| d.days as f64 / d.completed as f64;
        assert_eq!(wait(ample), 2.0);
        assert!((wait(scarce) - 2.0).abs() < 1.0);
        let jammed = run(halls(8.0, true), 60, 10, 1);
        assert!(wait(jammed) > wait(scarce) + 2.0);
    }
}
