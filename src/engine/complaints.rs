//! Phase 9, complaints and petitions (Epstein 2002). A resident complains with a daily
//! probability when grievance minus the perceived cost of complaining exceeds a threshold. A known issue that has stalled becomes a
//! collective petition when the affected residents who would join — grievance (which already
//! carries 1 − legitimacy) above `petition_grievance` — reach both `petition_min_count`
//! and `petition_share` of the affected (a count threshold, as in activation). A petition
//! hurts trust in the affected buildings and sends the issue to a department.
//!
//! Online contention comes from posts. Each day an online resident affected by a known
//! issue that no handler has answered posts about it with probability `post_probability` ×
//! its grievance; a post reaches the poster's online ties (the thread uses those ties), and
//! a community's online sentiment grows with the share of its online residents reached and
//! decays at `sentiment_decay`. Where issues are answered, nobody posts about them; where an
//! online platform gathers residents in groups, posts reach further.

use rayon::prelude::*;

use super::{Engine, routing, spread_event};
use crate::issues::Stage;
use crate::rng::{self, Purpose};
use crate::world::residents::role;

/// Runs the complaints phase's core rule.
pub fn run(e: &mut Engine) {
    complaints(e);
    petitions(e);
    sentiment(e);
}

fn complaints(e: &mut Engine) {
    let p = &e.scenario.residents;
    let (thr, cost, prob) = (
        p.complaint_threshold as f32,
        p.complaint_cost as f32,
        p.complaint_probability as f32,
    );
    let r = &e.world.residents;
    let (seed, tick) = (e.seed, e.world.tick as u64);
    let total: u32 = e
        .scratch
        .chunks
        .par_iter()
        .enumerate()
        .map(|(k, range)| {
            let mut rng = rng::stream(seed, Purpose::Complaints, tick, k as u64);
            let mut n = 0u32;
            for i in range.clone() {
                if r.grievance[i as usize] - cost > thr && rng::unit_f32(&mut rng) < prob {
                    n += 1;
                }
            }
            n
        })
        .sum();
    e.record.tally.complaints = total as u64;
}

fn petitions(e: &mut Engine) {
    let tick = e.world.tick;
    let s = &e.scenario;
    let p = &s.residents;
    let dispatch = e.world.arrangements.platform_dispatch_days;
    let staff = e.world.capacities.platform_staff.clone();
    let w = &mut e.world;
    for issue in w.issues.iter_mut() {
        let Some(detected) = issue.detected else {
            continue;
        };
        let stalled = tick >= detected + p.stall_days
            || (issue.votes > 0 && !issue.consent)
            || (issue.top_down && issue.stage == Stage::Working);
        if !issue.is_open() || !stalled {
            continue;
        }
        if let Some(last) = issue.petitioned
            && tick < last + p.petition_cooldown
        {
            continue;
        }
        let affected = issue.residents.end - issue.residents.start;
        let need = (p.petition_share * affected as f64)
            .ceil()
            .max(p.petition_min_count as f64) as u32;
        if affected < need {
            continue;
        }
        let mut would = 0u32;
        spread_event(issue, &w.places, |b, share| {
            would += (w.stats.buildings[b].would_petition as f32 * share).round() as u32
        });
        if would >= need {
            issue.petitioned = Some(tick);
            e.record.petition(issue, &w.places);
            // Petitions get the attention of the district.
            let top = routing::department_or_platform(issue, s, dispatch, &staff);
            if issue.handler != top && matches!(issue.stage, Stage::Queued | Stage::Known) {
                routing::escalate_to(issue, top, s, dispatch, tick);
            }
        }
    }
}

fn sentiment(e: &mut Engine) {
    let p = &e.scenario.residents;
    let mut rng = rng::stream(e.seed, Purpose::Complaints, e.world.tick as u64, u64::MAX);
    let w = &mut e.world;
    let nc = w.places.communities.len();
    let stamp = w.tick.min(u16::MAX as u32) as u16;
    let mut reach = vec![0u64; nc];
    for issue in w
        .issues
        .iter()
        .filter(|i| i.is_known() && i.is_open() && !i.answered)
    {
        let mut g_online = 0.0f64;
        spread_event(issue, &w.places, |b, share| {
            g_online += w.stats.buildings[b].grievance_online as f64 * share as f64
        });
        let posts = rng::poisson(p.post_probability * g_online, &mut rng);
        let n = issue.residents.len();
        for _ in 0..posts {
            // The poster: an online resident among the affected (a few draws).
            let poster = (0..8)
                .map(|_| issue.residents.start + rng::index(&mut rng, n) as u32)
                .find(|&i| w.residents.roles[i as usize] & role::ONLINE != 0);
            let Some(poster) = poster else { continue };
            let nres = w.network.n_residents();
            let readers: Vec<u32> = w
                .network
                .neighbours(poster)
                .iter()
                .copied()
                .filter(|&j| j < nres && w.residents.roles[j as usize] & role::ONLINE != 0)
                .collect();
            reach[issue.community as usize] += readers.len() as u64;
            for j in readers {
                w.network.touch(poster, j, stamp);
            }
        }
    }
    for (c, s) in w.sentiment.iter_mut().enumerate().take(nc) {
        let online = w.stats.online_community[c].max(1) as f32;
        let inflow = p.sentiment_spread as f32 * (reach[c] as f32 / online) * (1.0 - *s);
        let outflow = p.sentiment_decay as f32 * *s;
        *s = (*s + inflow - outflow).clamp(0.0, 1.0);
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::testkit::{push_issue, quiet_engine};
    use crate::issues::Stage;
    use crate::world::places::Scope;

    /// A stalled issue becomes a collective petition only when enough of its affected
    /// residents would join: at least `petition_min_count` and `petition_share` of them.
    #[test]
    fn petition_needs_enough_would_be_petitioners() {
        let petitions = |would: u32| {
            let mut e = quiet_engine();
            let k = push_issue(&mut e, "parking_public_space", Scope::Grid, 0);
            let issue = &mut e.world.issues[k];
            issue.detected = Some(0);
            issue.stage = Stage::Queued;
            e.world.tick = e.scenario.residents.stall_days + 1;
            let b = e.world.places.grid_buildings[0] as usize;
            e.world.stats.buildings[b].would_petition = would;
            super::petitions(&mut e);
            e.record.tally.petitions
        };
        let mut e = quiet_engine();
        let k = push_issue(&mut e, "parking_public_space", Scope::Grid, 0);
        let affected = e.world.issues[k].residents.len() as f64;
        let p = &e.scenario.residents;
        let need = (p.petition_share * affected)
            .ceil()
            .max(p.petition_min_count as f64) as u32;
        let building = e
            .world
            .places
            .buildings
            .size(e.world.places.grid_buildings[0] as usize);
        assert!(
            need <= building,
            "the test puts all would-be petitioners in one building"
        );
        assert_eq!(petitions(need - 1), 0);
        assert_eq!(petitions(need), 1);
    }
}
