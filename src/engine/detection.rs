//! Phase 2, detection: latent issues become known. Core rule: the affected residents report
//! with a hazard proportional to the issue's severity and their summed engagement; where an
//! online platform exists, reporting is cheaper for online residents, whose engagement
//! then counts its `report_weight` times. A report is an institutional contact: the
//! reporter may form (or refresh) a linking tie with the community committee. Mechanisms
//! detect issues too (patrols, visits, monitoring) through
//! [`Record::detect`](super::Record::detect).

use super::{Engine, Phase};
use crate::issues::{Issue, Stage};
use crate::network::{Edge, TieKind};
use crate::rng;
use crate::world::World;
use crate::world::places::Scope;

/// Runs the detection phase.
pub fn run(e: &mut Engine) {
    let mut rng = e.issue_rng(Phase::Detection);
    let tick = e.world.tick;
    let rp = e.scenario.residents.report_probability;
    let link_p = e.scenario.network.linking_probability;
    let m = e
        .world
        .arrangements
        .online_platform
        .map_or(1.0, |p| p.report_weight as f64);
    let World {
        issues,
        stats,
        residents,
        places,
        nodes,
        new_ties,
        ..
    } = &mut e.world;
    for issue in issues.iter_mut().filter(|i| i.stage == Stage::Latent) {
        let (eng, eng_online) = match issue.scope {
            Scope::Household => {
                let r = issue.residents.clone();
                let mut sum = (0.0f64, 0.0f64);
                for i in r {
                    let v = residents.engagement[i as usize] as f64;
                    sum.0 += v;
                    if residents.has(i as usize, crate::world::residents::role::ONLINE) {
                        sum.1 += v;
                    }
                }
                sum
            }
            _ => {
                let b = building_range(places, issue);
                let sums = &stats.buildings[b];
                let eng: f64 = sums.iter().map(|s| s.engagement as f64).sum();
                let on: f64 = sums.iter().map(|s| s.engagement_online as f64).sum();
                (eng, on)
            }
        };
        let lambda = rp * issue.severity as f64 * (eng + (m - 1.0) * eng_online);
        if lambda <= 0.0 {
            continue;
        }
        let p = 1.0 - (-lambda).exp();
        if rng::unit_f64(&mut rng) < p {
            let online_share = (m * eng_online) / (eng + (m - 1.0) * eng_online);
            issue.online = rng::unit_f64(&mut rng) < online_share;
            issue.participated = true;
            e.record.report();
            e.record.detect(issue, tick);
            // The reporter may form a linking tie with the community committee.
            if rng::unit_f64(&mut rng) < link_p {
                let len = issue.residents.end - issue.residents.start;
                let reporter = issue.residents.start + rng::index(&mut rng, len as usize) as u32;
                new_ties.push(Edge {
                    a: reporter,
                    b: nodes.committee + issue.community,
                    kind: TieKind::Linking,
                });
            }
        }
    }
}

/// The buildings an issue's residents span (whole buildings for scopes above household).
pub fn building_range(
    places: &crate::world::places::Places,
    issue: &Issue,
) -> std::ops::Range<usize> {
    let b = &places.buildings.starts;
    let first = b.partition_point(|&s| s <= issue.residents.start) - 1;
    let end = b.partition_point(|&s| s < issue.residents.end);
    first..end.max(first + 1)
}
