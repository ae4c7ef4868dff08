//! The engine's own community network (MODEL.md §2) against what its parameters ask for.
//!
//! A world is built by [`crate::world::build::build`]; given its realised households,
//! buildings, grids and organisation members, every layer's tie probability for a pair of
//! residents is known exactly:
//! - household: 1 (cliques);
//! - building: each resident makes Poisson(λ/2) draws over its m building mates (itself
//!   included, then dropped), so a pair gets Poisson(λ/m) draws: 1 − e^(−λ/m);
//! - grid: a Watts–Strogatz ring (Watts & Strogatz 1998) of n·⌊k/2⌋ ties on a uniformly
//!   shuffled order, so by exchangeability every pair of the grid is tied with
//!   probability 2⌊k/2⌋/(n − 1);
//! - organisation: Poisson(d/2) draws per member over M members: 1 − e^(−d/M).
//!
//! Layers are independent given the places, so a pair is tied with probability
//! 1 − Π(1 − p_layer) (duplicates count once). Summing over pairs gives the expected
//! bonding (same building) and bridging (other building) tie counts, compared with the
//! realised ones within 4 standard deviations of a sum of Bernoulli variables (conservative:
//! the ring layer's tie count is fixed). Kinds, household cliques and linking ties are
//! checked exactly; the linking share against party_share + (1 − party_share)·linking_share.

use serde_json::json;

use super::{Case, Param, Params, Point, Report, replicates, require};
use crate::Result;
use crate::network::TieKind;
use crate::rng::{self, Purpose};
use crate::scenario::Scenario;
use crate::world::{World, build, residents::role};

/// The case.
pub const CASE: Case = Case {
    name: "community",
    about: "The world's tie network: degree and bonding/bridging/linking counts its parameters imply",
    source: "ODD §5 (the tie network); Watts & Strogatz 1998, Nature 393:440; Putnam 2000; Woolcock 2001",
    params: &[
        Param { name: "residents", value_name: "N", default: Some("20000"), help: "Residents of the world" },
        Param { name: "building-degree", value_name: "λ", default: Some("3"), help: "network.building_degree" },
        Param { name: "ring-degree", value_name: "K", default: Some("4"), help: "network.grid_ring_degree" },
        Param { name: "rewire", value_name: "P", default: Some("0.1"), help: "network.grid_rewire" },
        Param { name: "org-degree", value_name: "D", default: Some("2"), help: "network.org_member_degree" },
        Param { name: "linking-share", value_name: "S", default: Some("0.1"), help: "network.initial_linking_share" },
        Param { name: "party-share", value_name: "S", default: Some("0.08"), help: "world.party_share" },
    ],
    default_runs: 2,
    suite,
    probe,
};

/// Stream tag of this case (only used to derive each replicate world's seed).
const TAG: u64 = 8;

/// The network parameters of one point.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    /// world.residents.
    pub residents: u32,
    /// network.building_degree.
    pub building_degree: f64,
    /// network.grid_ring_degree.
    pub ring_degree: u32,
    /// network.grid_rewire.
    pub rewire: f64,
    /// network.org_member_degree.
    pub org_degree: f64,
    /// network.initial_linking_share.
    pub linking_share: f64,
    /// world.party_share.
    pub party_share: f64,
}

impl Default for Setting {
    fn default() -> Self {
        let s = Scenario::default();
        Setting {
            residents: 20_000,
            building_degree: s.network.building_degree,
            ring_degree: s.network.grid_ring_degree,
            rewire: s.network.grid_rewire,
            org_degree: s.network.org_member_degree,
            linking_share: s.network.initial_linking_share,
            party_share: s.world.party_share,
        }
    }
}

/// A one-street scenario of `residents` with the setting's network parameters; one
/// community per 5,000 residents, five grids and five organisations per community.
pub fn scenario(st: &Setting) -> Scenario {
    let mut s = Scenario::default();
    let c = st.residents.div_ceil(5000).max(1);
    s.world.residents = st.residents;
    s.world.streets = 1;
    s.world.communities = c;
    s.world.grids = 5 * c;
    s.world.organisations = 5 * c;
    s.world.social_workers = 3 * c;
    s.world.service_complexes = 1;
    s.world.property_companies = c;
    s.world.businesses = 2 * c;
    s.world.department_staff = 10;
    s.world.party_share = st.party_share;
    s.network.building_degree = st.building_degree;
    s.network.grid_ring_degree = st.ring_degree;
    s.network.grid_rewire = st.rewire;
    s.network.org_member_degree = st.org_degree;
    s.network.initial_linking_share = st.linking_share;
    s
}

/// What one world's network has, next to what its parameters imply.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tally {
    /// Residents.
    pub residents: f64,
    /// Realised resident–resident bonding ties.
    pub bonding: f64,
    /// Realised resident–resident bridging ties.
    pub bridging: f64,
    /// Expected bonding ties given the places.
    pub bonding_expected: f64,
    /// Variance of the bonding count (sum of Bernoulli variances).
    pub bonding_var: f64,
    /// Expected bridging ties given the places.
    pub bridging_expected: f64,
    /// Variance of the bridging count.
    pub bridging_var: f64,
    /// Residents with a linking tie.
    pub linked: f64,
    /// Household pairs not tied (must be 0).
    pub household_missing: f64,
    /// Resident ties whose kind disagrees with same-building / other-building (must be 0).
    pub kind_errors: f64,
    /// Linking ties that are not to the resident's own party branch (party members) or
    /// committee (others), or a resident with more than one (must be 0).
    pub linking_errors: f64,
    /// Structural invariant violations (must be 0).
    pub invariant_errors: f64,
}

impl Tally {
    fn add(mut self, o: &Tally) -> Tally {
        self.residents += o.residents;
        self.bonding += o.bonding;
        self.bridging += o.bridging;
        self.bonding_expected += o.bonding_expected;
        self.bonding_var += o.bonding_var;
        self.bridging_expected += o.bridging_expected;
        self.bridging_var += o.bridging_var;
        self.linked += o.linked;
        self.household_missing += o.household_missing;
        self.kind_errors += o.kind_errors;
        self.linking_errors += o.linking_errors;
        self.invariant_errors += o.invariant_errors;
        self
    }
}

fn pairs(m: u32) -> f64 {
    let m = m as f64;
    m * (m - 1.0) / 2.0
}

/// Compares the network of `w` with what `s` implies given `w`'s places.
pub fn tally(s: &Scenario, w: &World) -> Tally {
    let net = &w.network;
    let r = &w.residents;
    let p = &w.places;
    let n = w.n_residents() as u32;
    let ns = &s.network;
    let mut t = Tally {
        residents: n as f64,
        invariant_errors: net.check_invariants().is_err() as u32 as f64,
        ..Tally::default()
    };

    // Realised ties, kinds and linking targets.
    for i in 0..n {
        let iu = i as usize;
        let mut links = 0;
        for (&j, &kind) in net.neighbours(i).iter().zip(net.kinds_of(i)) {
            if j < n {
                let same = r.building[iu] == r.building[j as usize];
                let want = if same {
                    TieKind::Bonding
                } else {
                    TieKind::Bridging
                };
                t.kind_errors += (kind != want) as u32 as f64;
                if i < j {
                    match kind {
                        TieKind::Bonding => t.bonding += 1.0,
                        _ => t.bridging += 1.0,
                    }
                }
            } else {
                links += 1;
                let c = r.community[iu] as u32;
                let target = if r.roles[iu] & role::PARTY != 0 {
                    w.nodes.party + c
                } else {
                    w.nodes.committee + c
                };
                t.linking_errors += (kind != TieKind::Linking || j != target) as u32 as f64;
            }
        }
        t.linking_errors += (links > 1) as u32 as f64;
        t.linked += (links > 0) as u32 as f64;
    }
    for h in 0..p.households.len() {
        let range = p.households.residents(h);
        for a in range.clone() {
            for b in a + 1..range.end {
                t.household_missing += !net.has_tie(a, b) as u32 as f64;
            }
        }
    }

    // Expected counts. Pair probabilities by layer.
    let lambda = ns.building_degree;
    let p_building = |m: u32| {
        if m >= 2 {
            1.0 - (-lambda / m as f64).exp()
        } else {
            0.0
        }
    };
    let p_grid = |g: u32| {
        let half = (ns.grid_ring_degree / 2).min(g.saturating_sub(1) / 2);
        if g < 2 || half == 0 {
            0.0
        } else {
            2.0 * half as f64 / (g as f64 - 1.0)
        }
    };
    let size = |range: std::ops::Range<u32>| range.end - range.start;
    let mut household_pairs_of_building = vec![0.0; p.buildings.len()];
    for h in 0..p.households.len() {
        let b = p.household_building[h] as usize;
        household_pairs_of_building[b] += pairs(size(p.households.residents(h)));
    }
    // Pair probabilities without organisation ties, by the grid / building of the pair.
    let both = |pb: f64, pg: f64| 1.0 - (1.0 - pb) * (1.0 - pg);
    for g in 0..p.grids.len() {
        let pg = p_grid(size(p.grids.residents(g)));
        let mut building_pairs = 0.0;
        let buildings = p.grid_buildings[g] as usize..p.grid_buildings[g + 1] as usize;
        for (b, &hh) in buildings.clone().zip(&household_pairs_of_building[buildings]) {
            let m = size(p.buildings.residents(b));
            let q = both(p_building(m), pg);
            t.bonding_expected += hh + (pairs(m) - hh) * q;
            t.bonding_var += (pairs(m) - hh) * q * (1.0 - q);
            building_pairs += pairs(m);
        }
        let cross = pairs(size(p.grids.residents(g))) - building_pairs;
        t.bridging_expected += cross * pg;
        t.bridging_var += cross * pg * (1.0 - pg);
    }
    // Organisation co-members: the extra probability their layer adds to each pair.
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); w.organisations.len()];
    for i in 0..n {
        let o = r.organisation[i as usize];
        if (o as usize) < members.len() {
            members[o as usize].push(i);
        }
    }
    for m in &members {
        if m.len() < 2 {
            continue;
        }
        let po = 1.0 - (-ns.org_member_degree / m.len() as f64).exp();
        for (k, &a) in m.iter().enumerate() {
            for &b in &m[k + 1..] {
                let (au, bu) = (a as usize, b as usize);
                if r.household[au] == r.household[bu] {
                    continue;
                }
                let pg = if r.grid[au] == r.grid[bu] {
                    p_grid(size(p.grids.residents(r.grid[au] as usize)))
                } else {
                    0.0
                };
                let same_building = r.building[au] == r.building[bu];
                let before = if same_building {
                    both(
                        p_building(size(p.buildings.residents(r.building[au] as usize))),
                        pg,
                    )
                } else {
                    pg
                };
                let after = both(before, po);
                let (e, v) = if same_building {
                    (&mut t.bonding_expected, &mut t.bonding_var)
                } else {
                    (&mut t.bridging_expected, &mut t.bridging_var)
                };
                *e += after - before;
                *v += after * (1.0 - after) - before * (1.0 - before);
            }
        }
    }
    t
}

/// Builds `runs` worlds at the setting and sums their tallies.
pub fn point(st: &Setting, seed: u64, runs: usize) -> (Point, Tally) {
    let s = scenario(st);
    let tallies = replicates(runs, |run| {
        use rand::Rng as _;
        let world_seed = rng::stream(seed, Purpose::Verify, TAG, run).next_u64();
        tally(&s, &build::build(&s, world_seed))
    });
    let t = tallies.iter().fold(Tally::default(), |a, b| a.add(b));
    let mut pt = Point::new(
        json!({
            "residents": st.residents, "building_degree": st.building_degree,
            "ring_degree": st.ring_degree, "rewire": st.rewire, "org_degree": st.org_degree,
            "linking_share": st.linking_share, "party_share": st.party_share,
        }),
        runs,
    );
    let ties = t.bonding + t.bridging;
    let expected = t.bonding_expected + t.bridging_expected;
    pt.stat("mean_degree", 2.0 * ties / t.residents)
        .stat("mean_degree_expected", 2.0 * expected / t.residents)
        .stat("bonding_share", t.bonding / ties)
        .stat("bonding_share_expected", t.bonding_expected / expected)
        .stat("bonding_ties", t.bonding)
        .stat("bonding_ties_expected", t.bonding_expected)
        .stat("bridging_ties", t.bridging)
        .stat("bridging_ties_expected", t.bridging_expected)
        .stat("linking_share", t.linked / t.residents)
        .stat(
            "linking_share_expected",
            st.party_share + (1.0 - st.party_share) * st.linking_share,
        );
    (pt, t)
}

fn checks(rep: &mut Report, st: &Setting, t: &Tally, runs: usize) {
    let params = format!(
        "N={}, λ={}, k={}, p={}, d={}, runs={runs}",
        st.residents, st.building_degree, st.ring_degree, st.rewire, st.org_degree
    );
    rep.check(
        params.clone(),
        "symmetric, sorted, no self-ties or duplicates; households complete; kinds: bonding iff same building; linking to own party branch / committee",
        format!(
            "{} invariant, {} household, {} kind, {} linking errors",
            t.invariant_errors, t.household_missing, t.kind_errors, t.linking_errors
        ),
        "exact",
        t.invariant_errors + t.household_missing + t.kind_errors + t.linking_errors == 0.0,
    );
    let within = |obs: f64, exp: f64, var: f64| (obs - exp).abs() <= 4.0 * var.sqrt();
    let n = t.residents;
    let expected = t.bonding_expected + t.bridging_expected;
    let var = t.bonding_var + t.bridging_var;
    rep.check(
        params.clone(),
        format!(
            "mean resident degree = 2E[ties]/N = {:.4}",
            2.0 * expected / n
        ),
        format!("{:.4}", 2.0 * (t.bonding + t.bridging) / n),
        format!("± 4 SD = {:.4}", 8.0 * var.sqrt() / n),
        within(t.bonding + t.bridging, expected, var),
    );
    for (name, obs, exp, v) in [
        ("bonding", t.bonding, t.bonding_expected, t.bonding_var),
        ("bridging", t.bridging, t.bridging_expected, t.bridging_var),
    ] {
        rep.check(
            params.clone(),
            format!("{name} ties = {exp:.0} (share {:.4})", exp / expected),
            format!("{obs:.0} (share {:.4})", obs / (t.bonding + t.bridging)),
            format!("± 4 SD = {:.0}", 4.0 * v.sqrt()),
            within(obs, exp, v),
        );
    }
    let q = st.party_share + (1.0 - st.party_share) * st.linking_share;
    let se = (q * (1.0 - q) / n).sqrt();
    rep.check(
        format!("{params}, party={}, s={}", st.party_share, st.linking_share),
        format!("linking share = party + (1 − party)·s = {q:.4}"),
        format!("{:.4}", t.linked / n),
        format!("± 4 SE = {:.4}", 4.0 * se),
        (t.linked / n - q).abs() <= 4.0 * se,
    );
}

fn suite(seed: u64, runs: usize) -> Result<Report> {
    let mut rep = Report::new(&CASE, seed);
    let st = Setting::default();
    let (pt, t) = point(&st, seed, runs);
    checks(&mut rep, &st, &t, runs);
    rep.points.push(pt);
    Ok(rep)
}

fn probe(params: &Params, seed: u64, runs: usize) -> Result<Report> {
    let st = Setting {
        residents: params.u32("residents")?,
        building_degree: params.f64("building-degree")?,
        ring_degree: params.u32("ring-degree")?,
        rewire: params.f64("rewire")?,
        org_degree: params.f64("org-degree")?,
        linking_share: params.f64("linking-share")?,
        party_share: params.f64("party-share")?,
    };
    let r = st.residents;
    require((100..=1_000_000).contains(&r), "residents", "a whole number from 100 to 1000000", r)?;
    let lambda = st.building_degree;
    require((0.0..=100.0).contains(&lambda), "building-degree", "a number from 0 to 100", lambda)?;
    let k = st.ring_degree;
    require(k <= 100, "ring-degree", "a whole number from 0 to 100", k)?;
    for (flag, v) in [("rewire", st.rewire), ("linking-share", st.linking_share), ("party-share", st.party_share)] {
        require((0.0..=1.0).contains(&v), flag, "a probability in [0, 1]", v)?;
    }
    let d = st.org_degree;
    require((0.0..=100.0).contains(&d), "org-degree", "a number from 0 to 100", d)?;
    let mut rep = Report::new(&CASE, seed);
    let (pt, t) = point(&st, seed, runs);
    checks(&mut rep, &st, &t, runs);
    rep.points.push(pt);
    Ok(rep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_world_passes_and_counts_add_up() {
        let st = Setting {
            residents: 3000,
            ..Setting::default()
        };
        let (_, t) = point(&st, 1, 1);
        let mut rep = Report::new(&CASE, 1);
        checks(&mut rep, &st, &t, 1);
        assert!(rep.pass(), "{:?}", rep.checks);
        assert!(t.bonding > 0.0 && t.bridging > 0.0);
    }

    #[test]
    fn a_wrong_expectation_fails() {
        // Without the building layer the expected bonding count is far too low.
        let st = Setting {
            residents: 3000,
            ..Setting::default()
        };
        let s = scenario(&st);
        let w = build::build(&s, 5);
        let mut wrong = s.clone();
        wrong.network.building_degree = 0.0;
        let t = tally(&wrong, &w);
        let mut rep = Report::new(&CASE, 5);
        checks(&mut rep, &st, &t, 1);
        assert!(!rep.pass());
    }
}
