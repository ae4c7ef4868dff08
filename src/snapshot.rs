//! Aggregate snapshots of a running engine for live views (`cogov serve`): the district's
//! places (streets → communities → grids) with per-place means, and the issue pipeline.
//!
//! A snapshot reads the per-building sums the resident phase keeps, the per-community
//! stocks and the open issues, so it costs O(buildings + issues), never O(residents), and
//! it holds no per-resident data. Like the observer, it only reads the engine.

use serde::Serialize;

use crate::engine::Engine;
use crate::issues::Stage;

/// A metric of the district view: one value per grid and per community.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct PlaceMetric {
    /// Name.
    pub name: &'static str,
    /// Unit for the legend.
    pub unit: &'static str,
    /// What it measures.
    pub doc: &'static str,
    /// Measured per community only (a grid shows its community's value).
    pub community_only: bool,
}

/// The metrics of [`District`], in the order of its value rows.
pub const PLACE_METRICS: &[PlaceMetric] = &[
    PlaceMetric {
        name: "active_share",
        unit: "share",
        doc: "Share of residents who are active.",
        community_only: false,
    },
    PlaceMetric {
        name: "engagement_mean",
        unit: "index",
        doc: "Mean engagement.",
        community_only: false,
    },
    PlaceMetric {
        name: "trust_institutional_mean",
        unit: "index",
        doc: "Mean trust in party and government.",
        community_only: false,
    },
    PlaceMetric {
        name: "trust_neighbour_mean",
        unit: "index",
        doc: "Mean trust in neighbours.",
        community_only: false,
    },
    PlaceMetric {
        name: "satisfaction_mean",
        unit: "index",
        doc: "Mean satisfaction.",
        community_only: false,
    },
    PlaceMetric {
        name: "grievance_mean",
        unit: "index",
        doc: "Mean grievance.",
        community_only: false,
    },
    PlaceMetric {
        name: "petition_readiness",
        unit: "share",
        doc: "Share of residents who would join a collective petition.",
        community_only: false,
    },
    PlaceMetric {
        name: "issues_open",
        unit: "count",
        doc: "Open issues affecting residents of the place.",
        community_only: false,
    },
    PlaceMetric {
        name: "online_sentiment",
        unit: "index",
        doc: "Negative online sentiment of the community, 0 to 1.",
        community_only: true,
    },
    PlaceMetric {
        name: "issues_resolved",
        unit: "count",
        doc: "Issues of the community resolved since the world began.",
        community_only: true,
    },
    PlaceMetric {
        name: "collective_petitions",
        unit: "count",
        doc: "Collective petitions in the community since the world began.",
        community_only: true,
    },
];

/// Number of place metrics.
pub const N_PLACE_METRICS: usize = PLACE_METRICS.len();

/// The district's structure: which community lies in which street, which grid in which
/// community, and how many residents each holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Layout {
    /// Number of streets.
    pub streets: usize,
    /// Street of each community.
    pub community_street: Vec<u32>,
    /// Residents of each community.
    pub community_residents: Vec<u32>,
    /// Community of each grid.
    pub grid_community: Vec<u32>,
    /// Residents of each grid.
    pub grid_residents: Vec<u32>,
}

/// Per-place values of [`PLACE_METRICS`] at the end of the engine's last tick.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct District {
    /// Per community: one value per place metric.
    pub communities: Vec<[f64; N_PLACE_METRICS]>,
    /// Per grid: one value per place metric (a community-only metric repeats its
    /// community's value).
    pub grids: Vec<[f64; N_PLACE_METRICS]>,
}

/// Issues by stage: the open ones now, and the closed and escalated ones so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Pipeline {
    /// Open issues no one in charge knows of.
    pub latent: u32,
    /// Known, not yet routed.
    pub known: u32,
    /// Routed, waiting for their handler.
    pub routed: u32,
    /// Waiting for the consent of the affected (deliberation).
    pub deliberation: u32,
    /// Waiting for funds.
    pub funding: u32,
    /// Being worked on.
    pub working: u32,
    /// Resolved since the world began.
    pub resolved: u64,
    /// Failed since the world began.
    pub failed: u64,
    /// Escalations since the world began.
    pub escalated: u64,
}

/// The district's structure.
pub fn layout(e: &Engine) -> Layout {
    let p = &e.world.places;
    Layout {
        streets: p.streets.len(),
        community_street: p.community_street.clone(),
        community_residents: (0..p.communities.len())
            .map(|c| p.communities.size(c))
            .collect(),
        grid_community: p.grid_community.clone(),
        grid_residents: (0..p.grids.len()).map(|g| p.grids.size(g)).collect(),
    }
}

/// Per-place values of [`PLACE_METRICS`].
pub fn district(e: &Engine) -> District {
    let w = &e.world;
    let p = &w.places;
    let (ng, nc) = (p.grids.len(), p.communities.len());
    // Sums of the per-building sums, per grid: active, engagement, trust (2),
    // satisfaction, grievance, would-petition.
    let mut sums = vec![[0.0f64; 7]; ng];
    for (g, s) in sums.iter_mut().enumerate() {
        let (lo, hi) = (
            p.grid_buildings[g] as usize,
            p.grid_buildings[g + 1] as usize,
        );
        for b in &w.stats.buildings[lo..hi.min(w.stats.buildings.len())] {
            s[0] += b.active as f64;
            s[1] += b.engagement as f64;
            s[2] += b.trust_institutional as f64;
            s[3] += b.trust_neighbour as f64;
            s[4] += b.satisfaction as f64;
            s[5] += b.grievance as f64;
            s[6] += b.would_petition as f64;
        }
    }
    let mut open_grid = vec![0u32; ng];
    let mut open_community = vec![0u32; nc];
    for issue in w.issues.iter().filter(|i| i.is_open()) {
        open_community[issue.community as usize] += 1;
        let first = p
            .grids
            .starts
            .partition_point(|&s| s <= issue.residents.start)
            - 1;
        let mut g = first;
        while g < ng && p.grids.starts[g] < issue.residents.end {
            open_grid[g] += 1;
            g += 1;
        }
    }
    let mut community_sums = vec![[0.0f64; 7]; nc];
    for (g, s) in sums.iter().enumerate() {
        let c = &mut community_sums[p.grid_community[g] as usize];
        for (a, b) in c.iter_mut().zip(s) {
            *a += b;
        }
    }
    let community_only = |c: usize| {
        [
            w.sentiment[c] as f64,
            e.record.community.resolved[c] as f64,
            e.record.community.petitions[c] as f64,
        ]
    };
    let row = |s: &[f64; 7], n: u32, open: u32, c: usize| {
        let n = n.max(1) as f64;
        let [sentiment, resolved, petitions] = community_only(c);
        [
            s[0] / n,
            s[1] / n,
            s[2] / n,
            s[3] / n,
            s[4] / n,
            s[5] / n,
            s[6] / n,
            open as f64,
            sentiment,
            resolved,
            petitions,
        ]
    };
    District {
        communities: (0..nc)
            .map(|c| {
                row(
                    &community_sums[c],
                    p.communities.size(c),
                    open_community[c],
                    c,
                )
            })
            .collect(),
        grids: (0..ng)
            .map(|g| {
                let c = p.grid_community[g] as usize;
                row(&sums[g], p.grids.size(g), open_grid[g], c)
            })
            .collect(),
    }
}

/// Issues by stage.
pub fn pipeline(e: &Engine) -> Pipeline {
    let mut out = Pipeline {
        resolved: e.record.cumulative.resolved,
        failed: e.record.cumulative.failed,
        escalated: e.record.cumulative.escalations,
        ..Pipeline::default()
    };
    for issue in &e.world.issues {
        match issue.stage {
            Stage::Latent => out.latent += 1,
            Stage::Known => out.known += 1,
            Stage::Queued => out.routed += 1,
            Stage::Consent => out.deliberation += 1,
            Stage::Funding => out.funding += 1,
            Stage::Working => out.working += 1,
            Stage::Resolved | Stage::Failed => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::observer::Observer;
    use crate::scenario::Scenario;

    fn engine() -> Engine {
        let mut s = Scenario::default();
        s.world.residents = 3_000;
        s.world.streets = 2;
        s.world.communities = 4;
        s.world.grids = 10;
        s.world.organisations = 4;
        s.world.social_workers = 4;
        s.world.businesses = 8;
        s.world.property_companies = 2;
        s.world.service_complexes = 1;
        s.world.department_staff = 8;
        let mut e = crate::mechanisms::engine(Arc::new(s), 4);
        let mut o = Observer::new(1, 0);
        for _ in 0..40 {
            e.step(&mut o);
        }
        e
    }

    #[test]
    fn district_means_agree_with_the_residents_columns() {
        let e = engine();
        let l = layout(&e);
        assert_eq!(l.community_residents.iter().sum::<u32>(), 3_000);
        assert_eq!(l.grid_residents.iter().sum::<u32>(), 3_000);
        let d = district(&e);
        assert_eq!(d.communities.len(), 4);
        assert_eq!(d.grids.len(), 10);
        let r = &e.world.residents;
        for c in 0..4 {
            let range = e.world.places.communities.residents(c);
            let n = range.len() as f64;
            let active = range.clone().filter(|&i| r.active[i as usize]).count() as f64 / n;
            let trust: f64 = range
                .clone()
                .map(|i| r.trust_institutional[i as usize] as f64)
                .sum::<f64>()
                / n;
            assert!((d.communities[c][0] - active).abs() < 1e-9, "community {c}");
            assert!((d.communities[c][2] - trust).abs() < 1e-4, "community {c}");
        }
        // A grid shows its community's community-only values.
        let g = 3;
        let c = l.grid_community[g] as usize;
        assert_eq!(d.grids[g][8], d.communities[c][8]);
        // Open issues: each is counted once in its community.
        let open: f64 = d.communities.iter().map(|v| v[7]).sum();
        assert_eq!(open as usize, e.world.issues.len());
    }

    #[test]
    fn pipeline_counts_every_open_issue_once() {
        let e = engine();
        let p = pipeline(&e);
        let open = p.latent + p.known + p.routed + p.deliberation + p.funding + p.working;
        assert_eq!(open as usize, e.world.issues.len());
        assert_eq!(p.resolved, e.record.cumulative.resolved);
        assert!(p.resolved + p.failed > 0);
    }
}
