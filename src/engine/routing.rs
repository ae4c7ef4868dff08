//! Phase 3, routing: handlers answer known issues (responsiveness); known issues are routed
//! by complexity to the community, the street or a department, or to a matching social
//! organisation; issues above the community wait out the coordination delay; each handler
//! takes at most its daily capacity, first come first served.

use super::{Engine, Levers, Phase};
use crate::issues::{Issue, Stage};
use crate::rng::{self, Rng};
use crate::scenario::Scenario;
use crate::world::World;
use crate::world::institutions::Handler;

/// Runs the routing phase.
pub fn run(e: &mut Engine) {
    let mut rng = e.issue_rng(Phase::Routing);
    let tick = e.world.tick;
    let s: &Scenario = &e.scenario;
    let lv = &e.levers;
    accrue_credits(&mut e.world, s, lv);
    let World {
        issues,
        organisations,
        credits,
        ..
    } = &mut e.world;
    for issue in issues.iter_mut() {
        if !issue.is_open() || !issue.is_known() {
            continue;
        }
        if !issue.answered {
            let p = if issue.online {
                lv.responsiveness.max(lv.online_responsiveness)
            } else {
                lv.responsiveness
            };
            issue.answered = rng::unit_f64(&mut rng) < p;
        }
        if issue.stage == Stage::Known {
            assign(issue, s, lv, organisations, tick, &mut rng);
        }
        if issue.stage == Stage::Queued && issue.ready_at <= tick {
            let credit = match issue.handler {
                Handler::Community => &mut credits.community[issue.community as usize],
                Handler::Street => &mut credits.street[issue.street as usize],
                Handler::Department => &mut credits.department[issue.department as usize],
                Handler::Organisation => &mut organisations[issue.organisation as usize].credit,
            };
            if *credit >= 1.0 {
                *credit -= 1.0;
                issue.taken.get_or_insert(tick);
                issue.stage = if issue.consent_share > 0.0 {
                    Stage::Consent
                } else {
                    Stage::Funding
                };
                issue.stage_since = tick;
            }
        }
    }
}

/// Adds a day's capacity to every handler's credit, capped at one day's worth (at least one).
fn accrue_credits(w: &mut World, s: &Scenario, lv: &Levers) {
    let g = &s.government;
    let add = |credit: &mut f64, cap: f64| *credit = (*credit + cap).min(cap.max(1.0));
    w.credits
        .community
        .iter_mut()
        .for_each(|c| add(c, g.community_capacity));
    w.credits
        .street
        .iter_mut()
        .for_each(|c| add(c, g.street_capacity + lv.street_capacity_bonus));
    w.credits
        .department
        .iter_mut()
        .for_each(|c| add(c, g.department_capacity));
    for o in w.organisations.iter_mut().filter(|o| o.alive) {
        add(&mut o.credit, o.capacity);
    }
}

/// Routes a known issue to a handler and sets when that handler can take it.
fn assign(
    issue: &mut Issue,
    s: &Scenario,
    lv: &Levers,
    orgs: &[crate::world::institutions::Organisation],
    tick: u32,
    rng: &mut Rng,
) {
    let g = &s.government;
    if !issue.top_down {
        issue.handler = if issue.complexity as f64 <= g.community_max_complexity {
            Handler::Community
        } else if issue.complexity as f64 <= g.street_max_complexity {
            Handler::Street
        } else {
            Handler::Department
        };
        if lv.organisation_routing > 0.0 && rng::unit_f64(rng) < lv.organisation_routing {
            let matching = orgs
                .iter()
                .enumerate()
                .filter(|(_, o)| {
                    o.alive && o.community == issue.community && o.domain == issue.domain
                })
                .max_by(|a, b| a.1.credit.total_cmp(&b.1.credit).then(b.0.cmp(&a.0)));
            if let Some((k, _)) = matching {
                issue.handler = Handler::Organisation;
                issue.organisation = k as u32;
            }
        }
    }
    issue.stage = Stage::Queued;
    issue.stage_since = tick;
    issue.ready_at = tick + delay(issue.handler, lv);
    if issue.routed.is_none() {
        issue.routed = Some(tick);
        issue.routed_to = issue.handler;
    }
}

/// Coordination delay in days for a handler: none for the community and organisations,
/// half the cross-department delay for the street, the whole delay for a department.
pub fn delay(handler: Handler, lv: &Levers) -> u32 {
    match handler {
        Handler::Community | Handler::Organisation => 0,
        Handler::Street => (lv.coordination_delay * 0.5).round() as u32,
        Handler::Department => lv.coordination_delay.round() as u32,
    }
}

/// Escalates an issue one level up (community → street → department), or to a department
/// from an organisation. Returns false when no level is left.
pub fn escalate(issue: &mut Issue, lv: &Levers, tick: u32) -> bool {
    let next = match issue.handler {
        Handler::Community | Handler::Organisation => Handler::Street,
        Handler::Street => Handler::Department,
        Handler::Department => return false,
    };
    escalate_to(issue, next, lv, tick);
    true
}

/// Escalates an issue to `handler`, which takes it after its coordination delay.
pub fn escalate_to(issue: &mut Issue, handler: Handler, lv: &Levers, tick: u32) {
    if issue.routed.is_none() {
        issue.routed = Some(tick);
        issue.routed_to = handler;
    }
    issue.escalated = Some(tick);
    issue.handler = handler;
    issue.escalations += 1;
    issue.stage = Stage::Queued;
    issue.stage_since = tick;
    issue.ready_at = tick + delay(handler, lv);
    issue.work_left = issue.duration;
}

#[cfg(test)]
mod tests {
    use crate::engine::testkit::{push_issue, quiet_engine};
    use crate::issues::Stage;
    use crate::world::institutions::Handler;
    use crate::world::places::Scope;

    /// Known issues go to the community, the street or a department by complexity; above
    /// the community they wait out (half of, or the whole) coordination delay.
    #[test]
    fn routes_by_complexity_with_coordination_delay() {
        let mut e = quiet_engine();
        let delay = e.scenario.government.coordination_delay;
        let mut ids = Vec::new();
        for complexity in [0.2, 0.5, 0.9] {
            let k = push_issue(&mut e, "maintenance", Scope::Building, 0);
            let issue = &mut e.world.issues[k];
            issue.complexity = complexity;
            issue.detected = Some(0);
            issue.stage = Stage::Known;
            ids.push(k);
        }
        super::run(&mut e);
        let got: Vec<(Handler, u32)> = ids
            .iter()
            .map(|&k| (e.world.issues[k].handler, e.world.issues[k].ready_at))
            .collect();
        assert_eq!(
            got,
            vec![
                (Handler::Community, 0),
                (Handler::Street, (delay * 0.5).round() as u32),
                (Handler::Department, delay.round() as u32)
            ]
        );
        // The community takes its issue the same day (capacity permitting).
        assert_ne!(e.world.issues[ids[0]].stage, Stage::Queued);
        assert_eq!(e.world.issues[ids[2]].stage, Stage::Queued);
    }
}
