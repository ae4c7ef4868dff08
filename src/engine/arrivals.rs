//! Phase 1, arrivals: issues arise as Poisson arrivals per location and domain (summed over
//! locations, then placed uniformly, which is the same process); scheduled projects start;
//! shocks scale rates. Scheduled days count from the end of the warm-up.

use rand_distr::Distribution;

use super::{DomainSpec, Engine};
use crate::issues::{Funding, Issue, Stage};
use crate::rng::{self, Purpose, Rng};
use crate::scenario::Scenario;
use crate::world::World;
use crate::world::institutions::{Handler, NONE};
use crate::world::money::cents;
use crate::world::places::Scope;

/// Runs the arrivals phase.
pub fn run(e: &mut Engine) {
    let tick = e.world.tick;
    let mut rng = rng::stream(e.seed, Purpose::Arrivals, tick as u64, 0);
    let s = &e.scenario;
    // Scheduled days count from the end of the warm-up: day 0 is the first recorded day.
    let day = tick.checked_sub(s.init.warmup);
    for (di, d) in e.domains.iter().enumerate() {
        if d.params.rate <= 0.0 {
            continue;
        }
        let locations = locations(&e.world, d);
        if locations == 0 {
            continue;
        }
        let multiplier: f64 = s
            .shocks
            .iter()
            .filter(|sh| {
                sh.domain == d.name && day.is_some_and(|t| (sh.start..=sh.end).contains(&t))
            })
            .map(|sh| sh.multiplier)
            .product();
        let lambda = d.params.rate / 365.0 * locations as f64 * multiplier;
        let n = rng::poisson(lambda, &mut rng);
        for _ in 0..n {
            let k = rng::index(&mut rng, locations);
            let place = place_of(&e.world, d, k);
            let mut issue = new_issue(&e.world, s, d, di as u16, place, tick, &mut rng);
            e.record.number(&mut issue);
            e.world.issues.push(issue);
            e.record.tally.arisen += 1;
        }
    }
    for p in s.projects.iter().filter(|p| Some(p.start) == day) {
        let Some(di) = e.domains.iter().position(|d| d.name == p.domain) else {
            continue;
        };
        let d = &e.domains[di];
        for &c in &p.communities {
            let mut issue = new_issue(
                &e.world,
                s,
                d,
                di as u16,
                (Scope::Community, c),
                tick,
                &mut rng,
            );
            // A scheduled project is known from the start and handled by its department.
            issue.detected = Some(tick);
            issue.stage = Stage::Known;
            issue.handler = Handler::Department;
            issue.answered = true;
            e.record.number(&mut issue);
            e.world.issues.push(issue);
            e.record.tally.arisen += 1;
        }
    }
}

/// Number of places where issues of `d` can arise.
fn locations(w: &World, d: &DomainSpec) -> usize {
    match d.scope {
        Scope::Household if d.params.elders_only => w.places.elder_households.len(),
        scope => w.places.level(scope).len(),
    }
}

fn place_of(w: &World, d: &DomainSpec, k: usize) -> (Scope, u32) {
    match d.scope {
        Scope::Household if d.params.elders_only => {
            (Scope::Household, w.places.elder_households[k])
        }
        scope => (scope, k as u32),
    }
}

/// Standard deviation of the affected's first opinions for a contention level.
pub fn opinion_sd(contention: f32) -> f64 {
    0.1 + 0.4 * contention as f64
}

/// Whether the affected hold opinions on issues of this domain: consent issues, top-down
/// projects and contested ones.
pub fn holds_opinions(s: &Scenario, d: &DomainSpec) -> bool {
    let p = &d.params;
    p.consent_share > 0.0 || p.top_down || p.contention >= s.residents.opinion_contention
}

/// A new latent issue of domain `d` at `place`.
pub fn new_issue(
    w: &World,
    s: &Scenario,
    d: &DomainSpec,
    domain: u16,
    (scope, place): (Scope, u32),
    tick: u32,
    rng: &mut Rng,
) -> Issue {
    let p = &d.params;
    let (cost_cv, complexity_sd) = (s.issues.cost_cv, s.issues.complexity_sd);
    let residents = w.places.level(scope).residents(place as usize);
    let households = w.places.households_in(residents.clone());
    let community = w.residents.community[residents.start as usize] as u32;
    let street = w.places.community_street[community as usize];
    let base = p.cost + p.cost_per_household * (households.end - households.start) as f64;
    let cost = if base > 0.0 && cost_cv > 0.0 {
        // Lognormal with the domain's mean and coefficient of variation.
        let sigma2 = (1.0 + cost_cv * cost_cv).ln();
        let mu = base.ln() - sigma2 / 2.0;
        rand_distr::LogNormal::new(mu, sigma2.sqrt())
            .map(|l| l.sample(rng))
            .unwrap_or(base)
    } else {
        base
    };
    let complexity = if complexity_sd > 0.0 {
        rand_distr::Normal::new(p.complexity, complexity_sd)
            .map(|n| n.sample(rng))
            .unwrap_or(p.complexity)
            .clamp(0.0, 1.0)
    } else {
        p.complexity
    };
    let opinions = holds_opinions(s, d).then(|| {
        let normal = rand_distr::Normal::new(p.support, opinion_sd(p.contention as f32)).ok();
        residents
            .clone()
            .map(|_| {
                normal
                    .map(|n| n.sample(rng))
                    .unwrap_or(p.support)
                    .clamp(0.0, 1.0) as f32
            })
            .collect::<Box<[f32]>>()
    });
    Issue {
        id: 0,
        domain,
        scope,
        place,
        households: households.end - households.start,
        residents,
        community,
        street,
        severity: p.severity as f32,
        cost: cents(cost),
        complexity: complexity as f32,
        contention: p.contention as f32,
        opinions,
        consent_share: p.consent_share as f32,
        department: p.department,
        duration: p.duration as f32,
        resident_share: p.resident_share as f32,
        public_share: p.public_share as f32,
        enterprise_share: p.enterprise_share as f32,
        top_down: p.top_down,
        elder_care: p.elder_care,
        stage: Stage::Latent,
        handler: Handler::Community,
        organisation: NONE,
        worker: NONE,
        shared_care: false,
        arisen: tick,
        detected: None,
        routed: None,
        routed_to: Handler::Community,
        taken: None,
        deliberated: None,
        funded: None,
        escalated: None,
        ready_at: tick,
        stage_since: tick,
        work_left: p.duration as f32,
        escalations: 0,
        funding: Funding::default(),
        asked: None,
        enterprise: NONE,
        online: false,
        answered: false,
        forums: 0,
        last_forum: None,
        facilitated: false,
        consent: false,
        votes: 0,
        participated: false,
        petitioned: None,
        closed: None,
    }
}
