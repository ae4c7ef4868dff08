//! Phase 7, residents. Every resident updates, reading only last tick's states (a
//! synchronous update), so the result is the same for any order and any thread count. The
//! residents are split into fixed chunks of whole buildings (about [`CHUNK`] residents
//! each, never depending on the thread count); each chunk has its own random stream named
//! by (seed, tick, chunk) and writes only its own residents and buildings.
//!
//! Per resident, in order:
//! * activation: the threshold cascade of [`activation`] with outside pressure =
//!   mobilisation (mechanisms) + efficacy weight × (engagement − reference), and lapse;
//! * engagement relaxes to its resting level, grows while active, and gains (efficacy) or
//!   loses (frustration) when issues it took part in are resolved or fail;
//! * institutional trust updates asymmetrically after good and bad experiences (Slovic
//!   1993), gains from institutional contact, learns socially from its ties, and drifts;
//! * neighbour trust grows through joint activity and falls with open disputes;
//! * grievance follows hardship × (1 − legitimacy) (Epstein 2002), legitimacy being
//!   institutional trust;
//! * satisfaction follows performance plus disconfirmation (performance − expectation), and
//!   expectations adapt slowly (Van Ryzin 2004);
//! * an active resident may form a tie with another active resident of its grid.
//!
//! Every `rebuild_period` days the network is rebuilt ([`ties`](super::ties)).
//!
//! Hardship: a latent issue, or a known one that is unanswered or has stalled, imposes its
//! hardship on the affected; a top-down project in work burdens each affected resident in
//! proportion to their opposition to it (their opinion below 0.5).

use std::ops::Range;

use rayon::prelude::*;

use super::Engine;
use crate::issues::Stage;
use crate::network::{Edge, TieKind};
use crate::rng::{self, Purpose};
use crate::scenario::Scenario;
use crate::submodels::activation;
use crate::world::places::Scope;
use crate::world::residents::role;
use crate::world::{BuildingSums, ResidentState, World};

/// Target residents per chunk. Fixed: chunking never depends on the thread count.
pub const CHUNK: u32 = 4096;

/// Sums over a chunk of residents, reduced in chunk order.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sums {
    /// Residents.
    pub n: u64,
    /// Party members.
    pub party: u64,
    /// Active residents.
    pub active: u64,
    /// Active party members.
    pub active_party: u64,
    /// Active residents in a volunteer role.
    pub volunteers: u64,
    /// Σ engagement.
    pub engagement: f64,
    /// Σ institutional trust.
    pub trust_institutional: f64,
    /// Σ neighbour trust.
    pub trust_neighbour: f64,
    /// Σ satisfaction.
    pub satisfaction: f64,
    /// Σ grievance.
    pub grievance: f64,
}

impl Sums {
    fn add(&mut self, o: &Sums) {
        self.n += o.n;
        self.party += o.party;
        self.active += o.active;
        self.active_party += o.active_party;
        self.volunteers += o.volunteers;
        self.engagement += o.engagement;
        self.trust_institutional += o.trust_institutional;
        self.trust_neighbour += o.trust_neighbour;
        self.satisfaction += o.satisfaction;
        self.grievance += o.grievance;
    }
}

/// Buffers the resident phase keeps between ticks.
#[derive(Debug, Clone, Default)]
pub struct Scratch {
    /// Resident range of each chunk (whole buildings).
    pub chunks: Vec<Range<u32>>,
    /// Building range of each chunk.
    pub chunk_buildings: Vec<Range<u32>>,
    hardship_building: Vec<f32>,
    hardship_grid: Vec<f32>,
    hardship_community: Vec<f32>,
    hardship_household: Vec<f32>,
    strife_building: Vec<f32>,
    hardship_resident: Vec<f32>,
    resident_ranges: Vec<Range<u32>>,
    /// Community care-days asked for, per community (the implementation phase's buffer).
    pub care_need: Vec<f64>,
    /// Last tick's states that residents read of each other (synchronous update).
    prev: Vec<Prev>,
    chunk_sums: Vec<Sums>,
    chunk_ties: Vec<Vec<Edge>>,
    /// District-wide sums of the last update.
    pub sums: Sums,
}

impl Scratch {
    /// Chunks a world into whole buildings of about [`CHUNK`] residents.
    pub fn new(w: &World) -> Scratch {
        let b = &w.places.buildings.starts;
        let mut chunks = Vec::new();
        let mut chunk_buildings = Vec::new();
        let mut first = 0usize;
        for k in 0..w.places.buildings.len() {
            if b[k + 1] - b[first] >= CHUNK || k + 1 == w.places.buildings.len() {
                chunks.push(b[first]..b[k + 1]);
                chunk_buildings.push(first as u32..k as u32 + 1);
                first = k + 1;
            }
        }
        let n = w.n_residents();
        let p = &w.places;
        Scratch {
            chunk_sums: vec![Sums::default(); chunks.len()],
            chunk_ties: vec![Vec::new(); chunks.len()],
            chunks,
            chunk_buildings,
            hardship_building: vec![0.0; p.buildings.len()],
            hardship_grid: vec![0.0; p.grids.len()],
            hardship_community: vec![0.0; p.communities.len()],
            hardship_household: vec![0.0; p.households.len()],
            strife_building: vec![0.0; p.buildings.len()],
            hardship_resident: vec![0.0; n],
            resident_ranges: Vec::new(),
            care_need: Vec::new(),
            prev: vec![Prev::default(); n],
            sums: Sums::default(),
        }
    }
}

/// The states a resident reads of itself and its peers, as they were last tick: together,
/// so that a peer costs one memory access.
#[derive(Debug, Clone, Copy, Default)]
struct Prev {
    trust: f32,
    trust_neighbour: f32,
    active: bool,
}

/// Mutable views of one chunk's resident columns and building stats.
struct ChunkCols<'a> {
    engagement: &'a mut [f32],
    trust: &'a mut [f32],
    trust_neighbour: &'a mut [f32],
    grievance: &'a mut [f32],
    satisfaction: &'a mut [f32],
    expectation: &'a mut [f32],
    active: &'a mut [bool],
    buildings: &'a mut [BuildingSums],
}

/// Splits `len` items off the front of a mutable slice reference.
fn take<'a, T>(slice: &mut &'a mut [T], len: usize) -> &'a mut [T] {
    let (head, tail) = std::mem::take(slice).split_at_mut(len);
    *slice = tail;
    head
}

/// Runs the resident phase.
pub fn run(e: &mut Engine) {
    let tick = e.world.tick;
    prepare_fields(e);
    update_residents(e);
    aggregate_communities(&mut e.world);
    let period = e.scenario.network.rebuild_period.max(1);
    for ties in &mut e.scratch.chunk_ties {
        e.world.new_ties.append(ties);
    }
    if tick > 0 && tick % period == 0 {
        super::ties::rebuild(&mut e.world, &e.scenario, e.seed, tick);
    }
}

/// Hardship and strife fields from open issues, and last tick's states for synchronous reads.
fn prepare_fields(e: &mut Engine) {
    let sc = &mut e.scratch;
    let w = &e.world;
    for v in [
        &mut sc.hardship_building,
        &mut sc.hardship_grid,
        &mut sc.hardship_community,
        &mut sc.hardship_household,
        &mut sc.strife_building,
    ] {
        v.iter_mut().for_each(|x| *x = 0.0);
    }
    for r in sc.resident_ranges.drain(..) {
        sc.hardship_resident[r.start as usize..r.end as usize].fill(0.0);
    }
    let stall = e.scenario.residents.stall_days;
    for issue in w.issues.iter().filter(|i| i.is_open()) {
        if issue.top_down && issue.stage == Stage::Working {
            if let Some(op) = issue.opinions.as_deref() {
                let r = issue.residents.clone();
                for (h, &o) in sc.hardship_resident[r.start as usize..r.end as usize]
                    .iter_mut()
                    .zip(op)
                {
                    *h += issue.severity * 2.0 * (0.5 - o).max(0.0);
                }
                sc.resident_ranges.push(r);
            }
            continue;
        }
        let felt = match issue.detected {
            None => true,
            Some(d) => !issue.answered || w.tick >= d + stall || issue.votes > 0 && !issue.consent,
        };
        if !felt {
            continue;
        }
        let h = issue.hardship();
        let field = match issue.scope {
            Scope::Household => &mut sc.hardship_household,
            Scope::Building => &mut sc.hardship_building,
            Scope::Grid => &mut sc.hardship_grid,
            Scope::Community => &mut sc.hardship_community,
        };
        field[issue.place as usize] += h;
        let contention = issue.current_contention();
        if issue.scope == Scope::Building && contention >= 0.5 {
            sc.strife_building[issue.place as usize] += contention;
        }
    }
    // Perceived performance per community: an average of this tick's outcome scores.
    let ev = &e.record.events;
    for (c, p) in e.world.performance.iter_mut().enumerate() {
        let n = ev.community_closed[c];
        if n > 0.0 {
            let rate = (0.02 * n).min(0.5);
            *p += rate * (ev.community_score[c] / n - *p);
        }
    }
    let r = &e.world.residents;
    sc.prev
        .par_iter_mut()
        .zip(&r.trust_institutional)
        .zip(&r.trust_neighbour)
        .zip(&r.active)
        .for_each(|(((p, &trust), &trust_neighbour), &active)| {
            *p = Prev {
                trust,
                trust_neighbour,
                active,
            }
        });
}

fn update_residents(e: &mut Engine) {
    let s: &Scenario = &e.scenario;
    let seed = e.seed;
    let tick = e.world.tick;
    let World {
        residents: r,
        places,
        network,
        stats,
        performance,
        contacts,
        ..
    } = &mut e.world;
    let sc = &mut e.scratch;
    let ev = &e.record.events;

    // Split every column into per-chunk views.
    let mut views = Vec::with_capacity(sc.chunks.len());
    {
        let (mut eng, mut tr, mut tn, mut gr, mut sa, mut ex, mut ac) = (
            &mut r.engagement[..],
            &mut r.trust_institutional[..],
            &mut r.trust_neighbour[..],
            &mut r.grievance[..],
            &mut r.satisfaction[..],
            &mut r.expectation[..],
            &mut r.active[..],
        );
        let mut bsums = &mut stats.buildings[..];
        for (range, brange) in sc.chunks.iter().zip(&sc.chunk_buildings) {
            let n = (range.end - range.start) as usize;
            let nb = (brange.end - brange.start) as usize;
            views.push(ChunkCols {
                engagement: take(&mut eng, n),
                trust: take(&mut tr, n),
                trust_neighbour: take(&mut tn, n),
                grievance: take(&mut gr, n),
                satisfaction: take(&mut sa, n),
                expectation: take(&mut ex, n),
                active: take(&mut ac, n),
                buildings: take(&mut bsums, nb),
            });
        }
    }
    let fixed = Fixed {
        s,
        seed,
        tick,
        r_building: &r.building,
        r_household: &r.household,
        r_roles: &r.roles,
        r_threshold: &r.threshold,
        r_engagement_rest: &r.engagement_rest,
        places,
        network,
        performance,
        hb: &sc.hardship_building,
        hg: &sc.hardship_grid,
        hc: &sc.hardship_community,
        hh: &sc.hardship_household,
        hr: &sc.hardship_resident,
        strife: &sc.strife_building,
        prev: &sc.prev,
        mobilisation: &contacts.mobilisation,
        online_mobilisation: contacts.online_call,
        party_duty: contacts.party_duty,
        contact: &contacts.trust,
        good: &ev.good,
        bad: &ev.bad,
        success: &ev.success,
        failure: &ev.failure,
        trust_rest: s.init.trust_institutional.mean() as f32,
        trust_neighbour_rest: s.init.trust_neighbour.mean() as f32,
    };
    views
        .into_par_iter()
        .zip(sc.chunk_sums.par_iter_mut())
        .zip(sc.chunk_ties.par_iter_mut())
        .enumerate()
        .for_each(|(k, ((cols, sums), ties))| {
            let range = sc.chunks[k].clone();
            let brange = sc.chunk_buildings[k].clone();
            update_chunk(&fixed, k, range, brange, cols, sums, ties);
        });
    let mut total = Sums::default();
    for cs in &sc.chunk_sums {
        total.add(cs);
    }
    sc.sums = total;
}

/// Read-only inputs shared by all chunks.
struct Fixed<'a> {
    s: &'a Scenario,
    seed: u64,
    tick: u32,
    r_building: &'a [u32],
    r_household: &'a [u32],
    r_roles: &'a [u8],
    r_threshold: &'a [f32],
    r_engagement_rest: &'a [f32],
    places: &'a crate::world::places::Places,
    network: &'a crate::network::Network,
    performance: &'a [f32],
    hb: &'a [f32],
    hg: &'a [f32],
    hc: &'a [f32],
    hh: &'a [f32],
    hr: &'a [f32],
    strife: &'a [f32],
    prev: &'a [Prev],
    mobilisation: &'a [f32],
    online_mobilisation: f32,
    party_duty: f32,
    contact: &'a [f32],
    good: &'a [f32],
    bad: &'a [f32],
    success: &'a [f32],
    failure: &'a [f32],
    trust_rest: f32,
    trust_neighbour_rest: f32,
}

/// Updates one chunk's residents, building by building: the terms that depend only on a
/// resident's building, grid or community are computed once per building, as the same
/// floating-point operations in the same order, so the results are those of computing
/// them per resident.
#[allow(clippy::too_many_arguments)]
#[inline(never)] // its own symbol in profiles (it is most of a tick)
fn update_chunk(
    f: &Fixed<'_>,
    k: usize,
    range: Range<u32>,
    brange: Range<u32>,
    c: ChunkCols<'_>,
    sums: &mut Sums,
    ties: &mut Vec<Edge>,
) {
    let p = &f.s.residents;
    let (lapse_p, w_eff, e_ref) = (
        p.lapse_probability as f32,
        p.efficacy_weight as f32,
        p.efficacy_reference as f32,
    );
    let (relax, gain_active, eta_up, eta_down) = (
        p.engagement_relaxation as f32,
        p.engagement_gain_active as f32,
        p.efficacy_gain as f32,
        p.frustration as f32,
    );
    let (a_up, a_down, learn, drift) = (
        p.trust_gain as f32,
        p.trust_loss as f32,
        p.trust_social_learning as f32,
        p.trust_drift as f32,
    );
    let (nt_gain, nt_loss) = (p.neighbour_trust_gain as f32, p.neighbour_trust_loss as f32);
    let (g_rate, hps) = (p.grievance_rate as f32, p.hardship_per_severity as f32);
    let (s_rate, x_rate) = (p.satisfaction_rate as f32, p.expectation_rate as f32);
    let pet_g = p.petition_grievance as f32;
    let form_p =
        f.s.network.formation_probability as f32 / f.s.network.rebuild_period.max(1) as f32;
    let mut rng = rng::stream(f.seed, Purpose::Residents, f.tick as u64, k as u64);
    let places = f.places;
    ties.clear();
    let mut sm = Sums::default();
    let net = f.network;
    for (b, bsums) in brange.map(|b| b as usize).zip(c.buildings.iter_mut()) {
        // What every resident of the building shares.
        let g = places.building_grid[b] as usize;
        let cm = places.grid_community[g] as usize;
        let mobilisation = f.mobilisation[b];
        let success = eta_up * f.success[b].min(1.0);
        let failure = eta_down * f.failure[b].min(1.0);
        let good = a_up * f.good[b].min(1.0);
        let bad = a_down * f.bad[b].min(1.0);
        let contact = f.contact[b];
        let strife = nt_loss * f.strife[b].min(1.0);
        let hardship_place = f.hb[b] + f.hg[g] + f.hc[cm];
        let performance = f.performance[cm];
        let mut building = BuildingSums::default();
        // The building's residents as slices of one length, indexed by `k` (no bounds
        // checks in the loop).
        let rs = places.buildings.residents(b);
        let (lo, hi) = (rs.start as usize, rs.end as usize);
        let l0 = lo - range.start as usize;
        let n = hi - lo;
        let (roles_b, threshold_b, rest_b, household_b, hr_b, prev_b) = (
            &f.r_roles[lo..hi],
            &f.r_threshold[lo..hi],
            &f.r_engagement_rest[lo..hi],
            &f.r_household[lo..hi],
            &f.hr[lo..hi],
            &f.prev[lo..hi],
        );
        let (engagement, trust, trust_neighbour, grievance, satisfaction, expectation, active) = (
            &mut c.engagement[l0..l0 + n],
            &mut c.trust[l0..l0 + n],
            &mut c.trust_neighbour[l0..l0 + n],
            &mut c.grievance[l0..l0 + n],
            &mut c.satisfaction[l0..l0 + n],
            &mut c.expectation[l0..l0 + n],
            &mut c.active[l0..l0 + n],
        );
        for k in 0..n {
            let i = (lo + k) as u32;
            debug_assert_eq!(f.r_building[lo + k] as usize, b);
            let roles = roles_b[k];
            let online = roles & role::ONLINE != 0;
            let party = roles & role::PARTY != 0;

            // Peers: activity and trust of resident neighbours, read from last tick.
            let (mut t_sum, mut tn_sum) = (0.0f32, 0.0f32);
            let (on, all) = activation::neighbour_activity_with(net, i, |j| {
                let p = &f.prev[j];
                t_sum += p.trust;
                tn_sum += p.trust_neighbour;
                p.active
            });
            let me = prev_b[k];

            // Activation (threshold cascade with mobilisation and efficacy).
            let mut e = engagement[k];
            let was = me.active;
            let outside = mobilisation
                + if online { f.online_mobilisation } else { 0.0 }
                + if party { f.party_duty } else { 0.0 }
                + w_eff * (e - e_ref);
            let lapses = was && rng::unit_f32(&mut rng) < lapse_p;
            let act = activation::next_active(
                was,
                activation::active_fraction(on, all),
                outside,
                threshold_b[k],
                lapses,
            );

            // Engagement: rest, learning by doing, efficacy and frustration.
            e += relax * (rest_b[k] - e);
            if act {
                e += gain_active * (1.0 - e);
                e += success * (1.0 - e);
                e -= failure * e;
            }
            let e = e.clamp(0.0, 1.0);

            // Institutional trust (Slovic 1993 asymmetry, contact, social learning, drift).
            let mut t = me.trust;
            t += good * (1.0 - t);
            t -= bad * t;
            t += contact * (1.0 - t);
            if all > 0 {
                t += learn * (t_sum / all as f32 - t);
            }
            t += drift * (f.trust_rest - t);
            let t = t.clamp(0.0, 1.0);

            // Neighbour trust.
            let mut tn = me.trust_neighbour;
            if act && on > 0 {
                tn += nt_gain * (1.0 - tn);
            }
            tn -= strife * tn;
            if all > 0 {
                tn += learn * (tn_sum / all as f32 - tn);
            }
            // Like institutional trust, it drifts back towards its initial mean without the
            // events that move it, so it settles where gains and losses balance.
            tn += drift * (f.trust_neighbour_rest - tn);
            let tn = tn.clamp(0.0, 1.0);

            // Grievance = smoothed hardship × (1 − legitimacy) (Epstein 2002).
            let h = household_b[k] as usize;
            let hardship = (hps * (hardship_place + f.hh[h] + hr_b[k])).min(1.0);
            let mut gv = grievance[k];
            gv += g_rate * (hardship * (1.0 - t) - gv);
            let gv = gv.clamp(0.0, 1.0);

            // Satisfaction: performance plus disconfirmation (Van Ryzin 2004).
            let perf = performance * (1.0 - 0.5 * hardship);
            let x = expectation[k];
            let target = (perf + (perf - x)).clamp(0.0, 1.0);
            let sat = (satisfaction[k] + s_rate * (target - satisfaction[k])).clamp(0.0, 1.0);
            let x = (x + x_rate * (perf - x)).clamp(0.0, 1.0);

            // Joint activity forms ties with other active residents of the grid.
            if act && rng::unit_f32(&mut rng) < form_p {
                let gr = places.grids.residents(g);
                let j = gr.start + rng::index(&mut rng, (gr.end - gr.start) as usize) as u32;
                if j != i && f.prev[j as usize].active {
                    let kind = if f.r_building[j as usize] as usize == b {
                        TieKind::Bonding
                    } else {
                        TieKind::Bridging
                    };
                    ties.push(Edge { a: i, b: j, kind });
                }
            }

            engagement[k] = e;
            trust[k] = t;
            trust_neighbour[k] = tn;
            grievance[k] = gv;
            satisfaction[k] = sat;
            expectation[k] = x;
            active[k] = act;

            building.add(&ResidentState {
                active: act,
                party,
                online,
                would_petition: gv > pet_g,
                engagement: e,
                trust_institutional: t,
                trust_neighbour: tn,
                grievance: gv,
                satisfaction: sat,
            });

            sm.n += 1;
            sm.party += party as u64;
            sm.active += act as u64;
            sm.active_party += (act && party) as u64;
            sm.volunteers += (act && roles & (role::GRID_VOLUNTEER | role::ORG_MEMBER) != 0) as u64;
            sm.engagement += e as f64;
            sm.trust_institutional += t as f64;
            sm.trust_neighbour += tn as f64;
            sm.satisfaction += sat as f64;
            sm.grievance += gv as f64;
        }
        *bsums = building;
    }
    *sums = sm;
}

/// Community-level aggregates from the building sums.
fn aggregate_communities(w: &mut World) {
    let p = &w.places;
    let st = &mut w.stats;
    st.grievance_online_community.fill(0.0);
    st.online_community.fill(0);
    st.satisfaction_community.fill(0.0);
    for (b, sums) in st.buildings.iter().enumerate() {
        let c = p.grid_community[p.building_grid[b] as usize] as usize;
        st.grievance_online_community[c] += sums.grievance_online as f64;
        st.online_community[c] += sums.online;
        st.satisfaction_community[c] += sums.satisfaction as f64;
    }
    for (c, s) in st.satisfaction_community.iter_mut().enumerate() {
        *s /= p.communities.size(c).max(1) as f64;
    }
}

/// Recomputes the per-building and per-community stats from the columns (at start-up).
pub fn refresh_stats(e: &mut Engine) {
    let pet_g = e.scenario.residents.petition_grievance as f32;
    let w = &mut e.world;
    let r = &w.residents;
    w.stats.buildings.fill(BuildingSums::default());
    for i in 0..r.len() {
        let (g, t) = (r.grievance[i], r.trust_institutional[i]);
        w.stats.buildings[r.building[i] as usize].add(&ResidentState {
            active: r.active[i],
            party: r.has(i, role::PARTY),
            online: r.has(i, role::ONLINE),
            would_petition: g > pet_g,
            engagement: r.engagement[i],
            trust_institutional: t,
            trust_neighbour: r.trust_neighbour[i],
            grievance: g,
            satisfaction: r.satisfaction[i],
        });
    }
    aggregate_communities(w);
    w.capital = super::ties::capital(w);
}

#[cfg(test)]
mod tests {
    use crate::engine::Engine;
    use crate::engine::testkit::{push_issue, quiet_engine};
    use crate::observer::Observer;
    use crate::world::places::Scope;

    #[test]
    fn a_latent_issue_raises_only_its_residents_grievance() {
        let mut e = quiet_engine();
        push_issue(&mut e, "maintenance", Scope::Building, 0);
        let affected = e.world.places.buildings.residents(0);
        let mut obs = Observer::new(1, 0);
        for _ in 0..5 {
            e.step(&mut obs);
        }
        let g = &e.world.residents.grievance;
        assert!(
            affected.clone().all(|i| g[i as usize] > 0.0),
            "every affected resident's grievance rises"
        );
        assert!(
            (affected.end as usize..g.len()).all(|i| g[i] == 0.0),
            "nobody else's grievance moves"
        );
    }

    #[test]
    fn a_resolved_issue_raises_trust_and_satisfaction_of_its_residents() {
        let mut with = quiet_engine();
        let mut without = quiet_engine();
        // An issue in building 0 on its last day of work, simple enough to succeed.
        push_issue(&mut with, "maintenance", Scope::Building, 0);
        let issue = with.world.issues.last_mut().unwrap();
        issue.detected = Some(0);
        issue.stage = crate::issues::Stage::Working;
        issue.work_left = 1.0;
        issue.complexity = 0.0;
        let mut obs = Observer::new(1, 0);
        with.step(&mut obs);
        without.step(&mut obs);
        assert_eq!(
            with.record.tally.resolved, 1,
            "the issue is resolved this tick"
        );
        let r = with.world.places.buildings.residents(0);
        type Column = fn(&crate::world::residents::Residents) -> &[f32];
        let mean = |e: &Engine, col: Column| {
            let c = col(&e.world.residents);
            r.clone().map(|i| c[i as usize] as f64).sum::<f64>() / r.len() as f64
        };
        let trust: Column = |res| &res.trust_institutional;
        let satisfaction: Column = |res| &res.satisfaction;
        assert!(
            mean(&with, trust) > mean(&without, trust),
            "resolution raises trust (Slovic 1993)"
        );
        assert!(
            mean(&with, satisfaction) > mean(&without, satisfaction),
            "resolution raises satisfaction (Van Ryzin 2004)"
        );
    }
}
