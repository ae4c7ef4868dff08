//! Phase 6, implementation and resolution. Work proceeds one day at a time; at completion
//! the handler succeeds with probability σ((skill − complexity)/scale), a logistic in the
//! gap between its skill and the issue's complexity. Success resolves the issue; failure
//! escalates it community → street → district until `max_escalations`, then fails it.
//! Issues open longer than `max_open_days` fail. Routine service requests are served.

use super::{Engine, Phase, routing};
use crate::engine::arrivals::draw_poisson;
use crate::issues::Stage;
use crate::rng;
use crate::world::World;
use crate::world::institutions::Handler;

/// Runs the implementation phase.
pub fn run(e: &mut Engine) {
    let mut rng = e.issue_rng(Phase::Implementation);
    let tick = e.world.tick;
    let s = &e.scenario;
    let g = &s.government;
    let lv = &e.levers;
    let World {
        issues,
        places,
        organisations,
        enterprises,
        ledger,
        ..
    } = &mut e.world;
    for issue in issues.iter_mut() {
        if !issue.is_open() {
            continue;
        }
        if tick > issue.arisen + s.issues.max_open_days {
            e.record.close(issue, false, tick, places);
            continue;
        }
        if issue.stage != Stage::Working {
            continue;
        }
        issue.work_left -= if issue.elder_care {
            lv.elder_care_speed
        } else {
            1.0
        };
        if issue.work_left > 0.0 {
            continue;
        }
        let mut skill = match issue.handler {
            Handler::Community => g.community_skill as f32,
            Handler::Street => g.street_skill as f32 + lv.street_skill_bonus,
            Handler::Department => g.department_skill as f32,
            Handler::Organisation => {
                organisations[issue.organisation as usize].professionalism as f32
            }
        } + issue.skill_bonus;
        if issue.complexity >= s.issues.high_complexity as f32 {
            skill += lv.complex_skill_bonus;
        }
        let p = success_probability(skill, issue.complexity, g.success_scale as f32);
        let success = rng::unit_f64(&mut rng) < p as f64;
        if let Some(en) = enterprises.get_mut(issue.enterprise as usize) {
            let es = &s.enterprises;
            en.orientation = if success {
                en.orientation + es.orientation_gain * (1.0 - en.orientation)
            } else {
                en.orientation - es.orientation_loss * en.orientation
            };
        }
        if issue.handler == Handler::Organisation {
            let o = &mut organisations[issue.organisation as usize];
            o.idle_days = 0;
            o.reputation = if success {
                o.reputation + 0.05 * (1.0 - o.reputation)
            } else {
                o.reputation * 0.9
            };
            // Purchase of the service: the district pays the organisation's fee.
            let fee = ledger.district.spend(s.organisations.fee_per_case);
            o.funds += fee;
            o.capacity += fee * s.organisations.growth_per_yuan;
            e.record.tally.public += fee;
        }
        if success {
            e.record.close(issue, true, tick, places);
        } else if issue.escalations < g.max_escalations && routing::escalate(issue, lv, tick) {
            e.record.tally.escalations += 1;
        } else {
            e.record.close(issue, false, tick, places);
        }
    }
    issues.retain(|i| i.is_open());
    serve_routine_requests(e, &mut rng);
}

/// σ((skill − complexity)/scale).
pub fn success_probability(skill: f32, complexity: f32, scale: f32) -> f32 {
    1.0 / (1.0 + (-(skill - complexity) / scale).exp())
}

/// Routine service requests per community, each costing the community's trips and wait.
fn serve_routine_requests(e: &mut Engine, rng: &mut rng::Rng) {
    let rate = e.scenario.services.request_rate / 365.0;
    for c in 0..e.world.places.communities.len() {
        let n = draw_poisson(rate * e.world.places.communities.size(c) as f64, rng) as f64;
        e.record.tally.service_requests += n;
        e.record.tally.service_trips += n * e.levers.service_trips[c] as f64;
        e.record.tally.service_wait_sum += n * e.levers.service_wait[c] as f64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_rises_with_skill() {
        let lo = success_probability(0.3, 0.6, 0.1);
        let mid = success_probability(0.6, 0.6, 0.1);
        let hi = success_probability(0.9, 0.6, 0.1);
        assert!(lo < mid && mid < hi);
        assert!((mid - 0.5).abs() < 1e-6);
    }
}
