//! Phase 6, implementation and resolution. Work proceeds one day at a time (elder care by
//! the care-days it receives, [`care`]); at completion the case succeeds with
//! probability σ((skill − complexity)/scale), a logistic in the gap between the skill of
//! whoever works it (the handler's, or its social worker's where one works it) and the
//! issue's complexity. Success resolves the issue; failure escalates it community → street
//! → district until `max_escalations`, then fails it. Issues open longer than
//! `max_open_days` fail. An organisation's case is worked by up to
//! [`VOLUNTEERS_PER_CASE`] of its members alongside its staff (volunteer acts, which use the
//! ties among them); a completed case is paid its fee from the service-purchase pool where
//! one exists; good work raises the organisation's reputation. Routine service
//! requests go through the service halls.

use super::{Engine, Phase, care, routing};
use crate::issues::{Issue, Stage};
use crate::rng;
use crate::scenario::Scenario;
use crate::world::World;
use crate::world::institutions::{Handler, NONE};
use crate::world::money::{Pool, cents};
use crate::world::services::ServiceRules;

/// Members of an organisation who work a case alongside its staff (volunteer acts).
pub const VOLUNTEERS_PER_CASE: usize = 3;

/// Runs the implementation phase.
pub fn run(e: &mut Engine) {
    let mut rng = e.issue_rng(Phase::Implementation);
    let tick = e.world.tick;
    let s = &e.scenario;
    let g = &s.government;
    let dispatch = e.world.arrangements.platform_dispatch_days;
    let household_share = e.world.arrangements.household_care_share;
    let coverage = care::coverage(
        &e.world.issues,
        &e.world.places,
        s.care.capacity_per_10k,
        household_share,
        &mut e.scratch.care_need,
    );
    let World {
        issues,
        places,
        organisations,
        enterprises,
        ledger,
        social_workers,
        capacities,
        network,
        ..
    } = &mut e.world;
    for issue in issues.iter_mut() {
        if !issue.is_open() {
            continue;
        }
        if tick > issue.arisen + s.issues.max_open_days {
            e.record.expired();
            e.record.close(issue, false, tick, places);
            continue;
        }
        if issue.stage != Stage::Working {
            continue;
        }
        issue.work_left -= if issue.elder_care {
            let h = care::household_part(issue, household_share);
            h + coverage[issue.community as usize] as f32 * (1.0 - h)
        } else {
            1.0
        };
        if issue.work_left > 1e-6 {
            continue;
        }
        let mut skill = match issue.handler {
            Handler::Community => g.community_skill as f32,
            Handler::Street => g.street_skill as f32,
            Handler::Department | Handler::Platform => g.department_skill as f32,
            Handler::Organisation => organisations[issue.organisation as usize].professionalism,
        };
        if issue.worker != NONE {
            skill = skill.max(social_workers.skill[issue.worker as usize]);
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
            // Up to three members worked the case with its staff: volunteering together.
            let crew = &o.members[..o.members.len().min(VOLUNTEERS_PER_CASE)];
            if !crew.is_empty() {
                e.record.volunteered(crew.len() as u32);
                network.touch_among(crew, tick.min(u16::MAX as u32) as u16);
            }
            o.reputation = if success {
                o.reputation + 0.05 * (1.0 - o.reputation)
            } else {
                o.reputation * 0.9
            };
            // Purchase of services: the case's fee, where the government buys them.
            let fee = ledger.transfer_to_agent(
                Pool::ServicePurchase,
                Pool::Organisations,
                &mut o.funds,
                cents(s.organisations.fee_per_case),
            );
            o.paid_capacity += fee as f64 / 100.0 * s.organisations.growth_per_yuan;
        }
        if success {
            e.record.close(issue, true, tick, places);
        } else if issue.escalations < g.max_escalations
            && routing::escalate(issue, s, dispatch, &capacities.platform_staff, tick)
        {
            e.record.escalation();
        } else {
            e.record.close(issue, false, tick, places);
        }
    }
    issues.retain(Issue::is_open);
    serve_routine_requests(e, s.clone(), &mut rng);
}

/// σ((skill − complexity)/scale).
pub fn success_probability(skill: f32, complexity: f32, scale: f32) -> f32 {
    1.0 / (1.0 + (-(skill - complexity) / scale).exp())
}

/// New routine requests per community (Poisson, each needing 1 + Poisson(mean − 1)
/// services), then a day at every service hall.
fn serve_routine_requests(e: &mut Engine, s: std::sync::Arc<Scenario>, rng: &mut rng::Rng) {
    let sv = &s.services;
    let tick = e.world.tick;
    let w = &mut e.world;
    let mut by_services = [0u32; 8];
    for c in 0..w.places.communities.len() {
        let n = rng::poisson(
            sv.request_rate / 365.0 * w.places.communities.size(c) as f64,
            rng,
        );
        by_services.fill(0);
        for _ in 0..n {
            let k = 1 + rng::poisson(sv.services_per_request - 1.0, rng) as usize;
            by_services[k.min(by_services.len()) - 1] += 1;
        }
        for (k, &m) in by_services.iter().enumerate() {
            w.services.request(c, tick, k as u32 + 1, m);
        }
        e.record.service_requests(n);
    }
    let rules = ServiceRules {
        redo_probability: sv.redo_probability,
        processing_days: sv.processing_days,
    };
    let day = w.services.serve(tick, rules, rng);
    e.record.service_day(&day);
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
