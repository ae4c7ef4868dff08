//! Invariants the engine keeps after every tick, checked by the property tests and
//! available to anyone driving an [`Engine`] by hand.

use super::Engine;

impl Engine {
    /// Checks, after a whole tick: every [0, 1] state column is in [0, 1]; every money pool
    /// has `spent ≥ 0` and `remaining ≥ 0`; the money the record counted as spent equals
    /// what the pools lost; arisen issues = open + resolved + failed; the tie network is
    /// symmetric without self-ties. Returns the first violation found.
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
        let mut pool_spent = 0.0;
        for (k, p) in self.world.ledger.pools().enumerate() {
            let tol = 1e-9 * p.allocated.abs().max(1.0);
            if !(p.allocated.is_finite() && p.spent.is_finite()) || p.spent < 0.0 {
                return Err(format!(
                    "pool {k}: allocated {} spent {}",
                    p.allocated, p.spent
                ));
            }
            if p.remaining() < -tol {
                return Err(format!(
                    "pool {k}: remaining {} < 0 (allocated {}, spent {})",
                    p.remaining(),
                    p.allocated,
                    p.spent
                ));
            }
            pool_spent += p.spent;
        }
        let counted = self.record.cumulative.money();
        if (counted - pool_spent).abs() > 1e-6 * pool_spent.abs().max(1.0) {
            return Err(format!(
                "money counted as spent ({counted}) differs from what the pools spent ({pool_spent})"
            ));
        }
        let c = &self.record.cumulative;
        let open = self.world.issues.iter().filter(|i| i.is_open()).count() as u64;
        let (arisen, resolved, failed) = (c.arisen, c.resolved, c.failed);
        if arisen != open + resolved + failed {
            return Err(format!(
                "issues: {arisen} arisen ≠ {open} open + {resolved} resolved + {failed} failed"
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
        let fresh = Engine::new(Arc::new(s), 1);
        fresh.check_invariants().unwrap();
        let mut e = Engine::new(fresh.scenario.clone(), 1);
        e.world.residents.grievance[3] = 1.5;
        assert!(e.check_invariants().unwrap_err().contains("grievance"));
        let mut e = Engine::new(fresh.scenario.clone(), 1);
        e.world.ledger.district.allocate(10.0);
        e.world.ledger.district.spent += 5.0;
        assert!(e.check_invariants().unwrap_err().contains("money"));
        let mut e = Engine::new(fresh.scenario.clone(), 1);
        e.record.cumulative.arisen += 1;
        assert!(e.check_invariants().unwrap_err().contains("arisen"));
    }
}
