//! Elder care as shared work (养老). Community care workers give a community's care-days
//! each day; they are shared equally among the elder-care cases in work there (processor
//! sharing, at most one care-day per case per day). Where a household carer shares the
//! care (family–community linkage), the carer gives their share of each day and the
//! community needs to give only the rest, so a case needs fewer community care-days: it
//! moves faster when community care is scarce, and costs the budgets less. Speed and cost
//! follow from who does the work.

use crate::issues::{Issue, Stage};
use crate::world::places::Places;

/// Each community's care capacity in care-days per day.
pub fn capacities(places: &Places, per_10k: f64) -> impl Iterator<Item = f64> + '_ {
    (0..places.communities.len()).map(move |c| per_10k * places.communities.size(c) as f64 / 1e4)
}

/// The share of each case's day a household carer gives (0 without shared care).
pub fn household_part(issue: &Issue, household_share: Option<f32>) -> f32 {
    if issue.shared_care {
        household_share.unwrap_or(0.0)
    } else {
        0.0
    }
}

/// Fraction of its community need each community's care workers can meet today:
/// `need[c]` is filled with the community care-days its working cases ask for.
pub fn coverage(
    issues: &[Issue],
    places: &Places,
    per_10k: f64,
    household_share: Option<f32>,
    need: &mut Vec<f64>,
) -> Vec<f64> {
    need.clear();
    need.resize(places.communities.len(), 0.0);
    for i in issues
        .iter()
        .filter(|i| i.elder_care && i.stage == Stage::Working)
    {
        need[i.community as usize] += (1.0 - household_part(i, household_share)) as f64;
    }
    capacities(places, per_10k)
        .zip(need.iter())
        .map(|(cap, &n)| if n > 0.0 { (cap / n).min(1.0) } else { 1.0 })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testkit::{push_issue, quiet_engine};
    use crate::world::places::Scope;

    /// Care workers are shared: with more cases than care-days, each case gets less, and a
    /// household carer's share lightens the community's load.
    #[test]
    fn care_days_are_shared_and_household_carers_lighten_the_load() {
        let mut e = quiet_engine();
        let size = e.world.places.communities.size(0) as f64;
        let per_10k = 2.0 * 1e4 / size; // two care-days a day in community 0
        for h in 0..4 {
            let k = push_issue(&mut e, "elder_care", Scope::Household, h);
            e.world.issues[k].stage = Stage::Working;
        }
        let mut need = Vec::new();
        let cov = coverage(&e.world.issues, &e.world.places, per_10k, None, &mut need);
        assert!((cov[0] - 0.5).abs() < 1e-9, "4 cases share 2 care-days");
        for i in e.world.issues.iter_mut() {
            i.shared_care = true;
        }
        let cov = coverage(
            &e.world.issues,
            &e.world.places,
            per_10k,
            Some(0.5),
            &mut need,
        );
        assert!(
            (cov[0] - 1.0).abs() < 1e-9,
            "carers give half: 2 care-days cover 4 halves"
        );
    }
}
