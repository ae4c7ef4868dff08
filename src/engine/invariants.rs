//! Invariants the engine keeps after every tick, checked by the property tests and
//! available to anyone driving an [`Engine`] by hand.

use super::Engine;
use crate::world::money::Pool;

impl Engine {
    /// Checks, after a whole tick: every [0, 1] state column is in [0, 1]; the ledger
    /// identity (every pool's balance = opening + inflows − outflows, transfers matched,
    /// no negative balance) and that the organisations' and enterprises' pools equal the
    /// sums of their agents' money; issues open at the start of recording + arisen =
    /// open + resolved + failed; the tie network is symmetric without self-ties. Returns the
    /// first violation found.
    pub fn check_invariants(&self) -> Result<(), String> {
        let r = &self.world.residents;
        for (name, col) in [
            ("threshold", &r.threshold),
            ("engagement", &r.engagement),
            ("engagement_rest", &r.engagement_rest),
            ("trust_institutional", &r.trust_institutional),
            ("trust_neighbour", &r.trust_neighbour),
            ("grievance", &r.grievance),
            ("satisfaction", &r.satisfaction),
            ("expectation", &r.expectation),
        ] {
            if let Some((i, v)) = col
                .iter()
                .enumerate()
                .find(|(_, v)| !(0.0..=1.0).contains(*v))
            {
                return Err(format!("resident {i}: {name} = {v} is outside [0, 1]"));
            }
        }
        let l = &self.world.ledger;
        l.check_identity().map_err(|e| format!("ledger: {e}"))?;
        let orgs: i64 = self.world.organisations.iter().map(|o| o.funds).sum();
        if orgs != l.balance(Pool::Organisations) {
            return Err(format!(
                "ledger: organisations' funds {orgs} ≠ their pool {}",
                l.balance(Pool::Organisations)
            ));
        }
        let firms: i64 = self.world.enterprises.iter().map(|e| e.resources).sum();
        if firms != l.balance(Pool::Enterprises) {
            return Err(format!(
                "ledger: enterprises' resources {firms} ≠ their pool {}",
                l.balance(Pool::Enterprises)
            ));
        }
        // Issue counts are kept from the first recorded day; before it, all arisen are
        // still open or closed since the start.
        let c = &self.record.cumulative;
        let open = self.world.issues.iter().filter(|i| i.is_open()).count() as u64;
        let (arisen, resolved, failed) = (c.arisen, c.resolved, c.failed);
        let open_before = self.open_at_reform as u64;
        if open_before + arisen != open + resolved + failed {
            return Err(format!(
                "issues: {open_before} open at the start of recording + {arisen} arisen ≠ {open} open + {resolved} resolved + {failed} failed"
            ));
        }
        self.world
            .network
            .check_invariants()
            .map_err(|e| format!("network: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::scenario::Scenario;

    #[test]
    fn each_check_can_fail() {
        let mut s = Scenario::default();
        s.world.residents = 400;
        s.world.streets = 1;
        s.world.communities = 2;
        s.world.grids = 4;
        s.world.service_complexes = 1;
        let fresh = Engine::new(Arc::new(s), 1, crate::engine::no_mechanisms);
        fresh.check_invariants().unwrap();
        let mut e = Engine::new(fresh.scenario.clone(), 1, crate::engine::no_mechanisms);
        e.world.residents.grievance[3] = 1.5;
        assert!(e.check_invariants().unwrap_err().contains("grievance"));
        let mut e = Engine::new(fresh.scenario.clone(), 1, crate::engine::no_mechanisms);
        e.world.organisations[0].funds += 1;
        assert!(e.check_invariants().unwrap_err().contains("ledger"));
        let mut e = Engine::new(fresh.scenario.clone(), 1, crate::engine::no_mechanisms);
        e.record.cumulative.arisen += 1;
        assert!(e.check_invariants().unwrap_err().contains("arisen"));
    }
}
