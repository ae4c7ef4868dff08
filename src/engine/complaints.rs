//! Phase 9, complaints and petitions (Epstein 2002). A resident complains with a daily
//! probability when grievance minus the perceived cost of complaining exceeds a threshold
//! (online residents' cost is scaled by a lever). A known issue that has stalled becomes a
//! collective petition when the affected residents who would join — grievance (which already
//! carries 1 − legitimacy) above `petition_grievance` — reach both `petition_min_count`
//! and `petition_share` of the affected (a count threshold, as in activation). A petition
//! hurts trust in the affected buildings and sends the issue to a department.
//!
//! Online sentiment per community grows with online residents' grievance while known issues
//! go unanswered (times the amplification lever) and decays, faster when issues are
//! answered (the damping lever).

use rayon::prelude::*;

use super::{Engine, routing, spread_event};
use crate::issues::Stage;
use crate::rng::{self, Purpose};
use crate::world::institutions::Handler;
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
    let online_cost = cost * e.levers.online_complaint_cost;
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
                let iu = i as usize;
                let c = if r.roles[iu] & role::ONLINE != 0 {
                    online_cost
                } else {
                    cost
                };
                if r.grievance[iu] - c > thr && rng::unit_f32(&mut rng) < prob {
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
    let p = &e.scenario.residents;
    let lv = &e.levers;
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
            e.record.tally.petitions += 1;
            e.record.community.petitions[issue.community as usize] += 1;
            spread_event(issue, &w.places, |b, share| e.record.events.bad[b] += share);
            // Petitions get the attention of the district.
            if issue.handler != Handler::Department
                && matches!(issue.stage, Stage::Queued | Stage::Known)
            {
                routing::escalate_to(issue, Handler::Department, lv, tick);
            }
        }
    }
}

fn sentiment(e: &mut Engine) {
    let p = &e.scenario.residents;
    let w = &mut e.world;
    let nc = w.places.communities.len();
    let mut unanswered = vec![0u32; nc];
    let mut answered = vec![0u32; nc];
    for issue in w.issues.iter().filter(|i| i.is_known() && i.is_open()) {
        if issue.answered {
            answered[issue.community as usize] += 1;
        } else {
            unanswered[issue.community as usize] += 1;
        }
    }
    let amp = e.levers.sentiment_amplification;
    let damp = e.levers.sentiment_damping;
    for c in 0..nc {
        let n_on = w.stats.online_community[c];
        let g = if n_on > 0 {
            (w.stats.grievance_online_community[c] / n_on as f64) as f32
        } else {
            0.0
        };
        let u = unanswered[c] as f32;
        let a = answered[c] as f32;
        let s = &mut w.sentiment[c];
        let inflow = p.sentiment_spread as f32 * amp * g * (u / (1.0 + u)) * (1.0 - *s);
        let outflow = (p.sentiment_decay as f32 + damp * (a / (1.0 + a))) * *s;
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
