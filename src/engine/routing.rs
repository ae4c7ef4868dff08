//! Phase 3, routing. Handlers answer known issues (responsiveness). A known issue goes to a
//! social organisation of its community and domain that has room (a referral, with
//! probability `organisation_referral`), else by complexity to the community, the street or
//! a department; where department staff sit on the street's platform, department work
//! goes to the platform and waits only the command centre's dispatch, not the silo
//! coordination delay. Every handler takes at most its daily capacity, first come first
//! served. Work a handler cannot take within `queue_patience` days is passed on: an
//! organisation hands it back to the government handler its complexity calls for, the
//! community passes it to the street, the street or its platform to the department (which
//! keeps it queued, visibly). On intake an organisation's case is worked by one of its
//! social workers with room, and the community's casework (domains flagged `social_work`)
//! by a station social worker with room; their skill is the case's.

use super::{Engine, Phase};
use crate::issues::{Issue, Stage};
use crate::rng;
use crate::scenario::Scenario;
use crate::world::World;
use crate::world::institutions::{Handler, NONE, Organisation, SocialWorkers};

/// Runs the routing phase.
pub fn run(e: &mut Engine) {
    let mut rng = e.issue_rng(Phase::Routing);
    let tick = e.world.tick;
    let s: &Scenario = &e.scenario;
    count_caseloads(&mut e.world);
    let org_capacity = accrue_credits(&mut e.world, s);
    let queued = org_queues(&e.world);
    let dispatch = e.world.arrangements.platform_dispatch_days;
    let domains = &e.domains;
    let World {
        issues,
        organisations,
        credits,
        capacities,
        social_workers,
        ..
    } = &mut e.world;
    let mut queued = queued;
    let caseload = s.organisations.social_worker_caseload;
    for issue in issues.iter_mut() {
        if !issue.is_open() || !issue.is_known() {
            continue;
        }
        if !issue.answered {
            issue.answered = rng::unit_f64(&mut rng) < s.government.responsiveness;
        }
        if issue.stage == Stage::Known {
            let room = |k: usize| has_room(org_capacity[k], queued[k], s);
            if !issue.top_down
                && rng::unit_f64(&mut rng) < s.government.organisation_referral
                && let Some(k) = matching_organisation(issue, organisations, room)
            {
                queued[k] += 1;
                send(issue, Handler::Organisation, k as u32, s, dispatch, tick);
            } else {
                let h = level_for(issue, s, dispatch, &capacities.platform_staff);
                send(issue, h, NONE, s, dispatch, tick);
            }
        }
        if issue.stage != Stage::Queued || issue.ready_at > tick {
            continue;
        }
        let credit = match issue.handler {
            Handler::Community => &mut credits.community[issue.community as usize],
            Handler::Street => &mut credits.street[issue.street as usize],
            Handler::Platform => &mut credits.platform[issue.street as usize],
            Handler::Department => &mut credits.department[issue.department as usize],
            Handler::Organisation => &mut organisations[issue.organisation as usize].credit,
        };
        if *credit >= 1.0 {
            *credit -= 1.0;
            issue.taken.get_or_insert(tick);
            issue.stage = if issue.consent_share > 0.0 && !issue.consent {
                Stage::Consent
            } else {
                Stage::Funding
            };
            issue.stage_since = tick;
            let social_work = domains[issue.domain as usize].params.social_work;
            take_worker(issue, social_workers, caseload, social_work);
        } else if tick > issue.ready_at + s.government.queue_patience
            && pass_on(issue, s, dispatch, &capacities.platform_staff, tick)
        {
            e.record.handoff();
        }
    }
}

/// Recounts each social worker's cases from the open issues they work (derived, so it
/// never drifts from what the issues say).
fn count_caseloads(w: &mut World) {
    let sw = &mut w.social_workers;
    sw.cases.fill(0);
    for issue in w.issues.iter().filter(|i| i.is_open() && i.worker != NONE) {
        sw.cases[issue.worker as usize] += 1;
    }
}

/// Adds a day's capacity to every handler's credit, capped at one day's worth (at least one).
/// Returns each organisation's capacity.
fn accrue_credits(w: &mut World, s: &Scenario) -> Vec<f64> {
    let add = |credit: &mut f64, cap: f64| *credit = (*credit + cap).min(cap.max(1.0));
    let c = &w.capacities;
    let pairs = [
        (&mut w.credits.community, &c.community),
        (&mut w.credits.street, &c.street),
        (&mut w.credits.platform, &c.platform),
        (&mut w.credits.department, &c.department),
    ];
    for (credits, caps) in pairs {
        for (credit, &cap) in credits.iter_mut().zip(caps.iter()) {
            add(credit, cap);
        }
    }
    let staff = staff_per_organisation(&w.social_workers, w.organisations.len());
    let mut caps = vec![0.0; w.organisations.len()];
    for (k, o) in w.organisations.iter_mut().enumerate() {
        if o.alive {
            caps[k] = organisation_capacity(o, staff[k], s);
            add(&mut o.credit, caps[k]);
        }
    }
    caps
}

/// Each organisation's capacity now (cases per day).
pub fn organisation_capacities(w: &World, s: &Scenario) -> Vec<f64> {
    let staff = staff_per_organisation(&w.social_workers, w.organisations.len());
    w.organisations
        .iter()
        .zip(staff)
        .map(|(o, n)| {
            if o.alive {
                organisation_capacity(o, n, s)
            } else {
                0.0
            }
        })
        .collect()
}

/// Social workers attached to each organisation.
pub fn staff_per_organisation(sw: &SocialWorkers, organisations: usize) -> Vec<u32> {
    let mut staff = vec![0u32; organisations];
    for &o in &sw.organisation {
        if o != NONE {
            staff[o as usize] += 1;
        }
    }
    staff
}

/// Cases per day an organisation can take: its members' volunteer work, its social
/// workers, and the staff its grants and fees pay for.
pub fn organisation_capacity(o: &Organisation, social_workers: u32, s: &Scenario) -> f64 {
    let p = &s.organisations;
    o.members.len() as f64 * p.member_capacity
        + social_workers as f64 * p.social_worker_capacity
        + o.paid_capacity
}

/// Issues queued at each organisation.
pub fn org_queues(w: &World) -> Vec<u32> {
    let mut queued = vec![0u32; w.organisations.len()];
    for i in w.issues.iter() {
        if i.is_open() && i.stage == Stage::Queued && i.handler == Handler::Organisation {
            queued[i.organisation as usize] += 1;
        }
    }
    queued
}

/// Whether an organisation with `capacity` cases a day and `queued` cases waiting can start
/// another within the queue patience (it accepts no work it would hand back).
pub fn has_room(capacity: f64, queued: u32, s: &Scenario) -> bool {
    capacity > 0.0 && (queued as f64) < (capacity * s.government.queue_patience as f64).max(1.0)
}

/// The living organisation of the issue's community and domain with room and the best
/// reputation (ties to the lowest index).
pub fn matching_organisation(
    issue: &Issue,
    orgs: &[Organisation],
    room: impl Fn(usize) -> bool,
) -> Option<usize> {
    orgs.iter()
        .enumerate()
        .filter(|(k, o)| {
            o.alive && o.community == issue.community && o.domain == issue.domain && room(*k)
        })
        .max_by(|a, b| {
            a.1.reputation
                .total_cmp(&b.1.reputation)
                .then(b.0.cmp(&a.0))
        })
        .map(|(k, _)| k)
}

/// The government handler an issue's complexity calls for: the community, the street, or
/// the department (its street's platform where the department's staff sit there).
pub fn level_for(
    issue: &Issue,
    s: &Scenario,
    dispatch: Option<f64>,
    platform_staff: &[u32],
) -> Handler {
    let g = &s.government;
    if issue.top_down {
        return department_or_platform(issue, s, dispatch, platform_staff);
    }
    if issue.complexity as f64 <= g.community_max_complexity {
        Handler::Community
    } else if issue.complexity as f64 <= g.street_max_complexity {
        Handler::Street
    } else {
        department_or_platform(issue, s, dispatch, platform_staff)
    }
}

/// The department's own handler for an issue: its street's platform where the department's
/// staff sit there, else the department.
pub fn department_or_platform(
    issue: &Issue,
    s: &Scenario,
    dispatch: Option<f64>,
    platform_staff: &[u32],
) -> Handler {
    let sunk = issue.department < s.world.platform_departments
        && platform_staff[issue.street as usize] > 0;
    if dispatch.is_some() && sunk {
        Handler::Platform
    } else {
        Handler::Department
    }
}

/// Sends an issue to `handler` (and `organisation`), which can take it after its delay.
fn send(
    issue: &mut Issue,
    handler: Handler,
    organisation: u32,
    s: &Scenario,
    dispatch: Option<f64>,
    tick: u32,
) {
    if issue.routed.is_none() {
        issue.routed = Some(tick);
        issue.routed_to = handler;
    }
    issue.handler = handler;
    issue.organisation = organisation;
    issue.worker = NONE;
    issue.stage = Stage::Queued;
    issue.stage_since = tick;
    issue.ready_at = tick + delay(handler, s, dispatch);
}

/// Coordination delay in days: none for the community and organisations; half the silo
/// delay for the street; the whole silo delay for a department; the command centre's
/// dispatch for a platform.
pub fn delay(handler: Handler, s: &Scenario, dispatch: Option<f64>) -> u32 {
    let silo = s.government.coordination_delay;
    match handler {
        Handler::Community | Handler::Organisation => 0,
        Handler::Street => (silo * 0.5).round() as u32,
        Handler::Department => silo.round() as u32,
        Handler::Platform => dispatch.unwrap_or(silo).round() as u32,
    }
}

/// Passes on work a handler could not take in time. Returns whether it moved.
fn pass_on(
    issue: &mut Issue,
    s: &Scenario,
    dispatch: Option<f64>,
    platform_staff: &[u32],
    tick: u32,
) -> bool {
    let next = match issue.handler {
        Handler::Organisation => level_for(issue, s, dispatch, platform_staff),
        Handler::Community => Handler::Street,
        Handler::Street => department_or_platform(issue, s, dispatch, platform_staff),
        Handler::Platform | Handler::Department => return false,
    };
    send(issue, next, NONE, s, dispatch, tick);
    true
}

/// On intake: an organisation's case goes to one of its social workers with room; the
/// community's casework to a station social worker with room.
fn take_worker(issue: &mut Issue, sw: &mut SocialWorkers, caseload: u32, social_work: bool) {
    let at = match issue.handler {
        Handler::Organisation => issue.organisation,
        Handler::Community if social_work => NONE,
        _ => return,
    };
    if let Some(k) = sw.free(issue.community, at, caseload) {
        sw.cases[k as usize] += 1;
        issue.worker = k;
    }
}

/// Escalates an issue one level up after a failed attempt (community or organisation →
/// street → the department, or its staff on the street's platform). Returns false when no
/// level is left: a department's own failure, on its platform or not, is final.
pub fn escalate(
    issue: &mut Issue,
    s: &Scenario,
    dispatch: Option<f64>,
    platform_staff: &[u32],
    tick: u32,
) -> bool {
    let next = match issue.handler {
        Handler::Community | Handler::Organisation => Handler::Street,
        Handler::Street => department_or_platform(issue, s, dispatch, platform_staff),
        Handler::Department | Handler::Platform => return false,
    };
    escalate_to(issue, next, s, dispatch, tick);
    true
}

/// Escalates an issue to `handler`, which takes it after its coordination delay.
pub fn escalate_to(
    issue: &mut Issue,
    handler: Handler,
    s: &Scenario,
    dispatch: Option<f64>,
    tick: u32,
) {
    send(issue, handler, NONE, s, dispatch, tick);
    issue.escalated = Some(tick);
    issue.escalations += 1;
    issue.work_left = issue.duration;
}

/// Routes a known issue to organisation `k` (mechanisms that match issues to
/// organisations call this).
pub fn refer(issue: &mut Issue, k: usize, s: &Scenario, tick: u32) {
    send(issue, Handler::Organisation, k as u32, s, None, tick);
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
        e.world.capacities.community.fill(5.0);
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

    /// A full handler does not drop work: after the queue patience the issue moves on
    /// (the community's to the street), visibly counted as a hand-off.
    #[test]
    fn a_full_handler_passes_work_on_after_the_patience() {
        let mut e = quiet_engine();
        e.world.capacities.community.fill(0.0);
        let k = push_issue(&mut e, "maintenance", Scope::Building, 0);
        let issue = &mut e.world.issues[k];
        issue.complexity = 0.1;
        issue.detected = Some(0);
        issue.stage = Stage::Known;
        let patience = e.scenario.government.queue_patience;
        for t in 0..=patience + 1 {
            e.world.tick = t;
            e.record.start_tick();
            super::run(&mut e);
        }
        assert_eq!(e.world.issues[k].handler, Handler::Street);
        assert_eq!(e.record.tally.handoffs, 1);
    }
}
