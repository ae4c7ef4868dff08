//! Money (MODEL.md §10, rule 2). Every yuan sits in a named [`Pool`]. It enters a pool from a
//! named outside source, leaves it for a named use, or moves between two pools; nothing else
//! changes a balance, so no rule can create money. Amounts are whole cents, which makes the
//! ledger identity exact: for every pool and tick, balance = opening + inflows − outflows,
//! and a transfer out of one pool is the same amount into the other on the same tick.
//!
//! The ledger keeps the tick's flows; the observer turns them into `ledger.csv` rows.

use crate::issues::Issue;

/// An amount of money in cents (1 yuan = 100).
pub type Cents = i64;

/// Yuan to whole cents (rounded; negative and non-finite amounts are 0).
pub fn cents(yuan: f64) -> Cents {
    if yuan.is_finite() && yuan > 0.0 {
        (yuan * 100.0).round().min(i64::MAX as f64 / 4.0) as Cents
    } else {
        0
    }
}

/// A share of an amount, in whole cents.
pub fn share_of(amount: Cents, share: f64) -> Cents {
    if share.is_finite() && share > 0.0 {
        (amount as f64 * share).round() as Cents
    } else {
        0
    }
}

/// Cents to yuan.
pub fn yuan(c: Cents) -> f64 {
    c as f64 / 100.0
}

/// A pool of money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Pool {
    /// The district's budget for community issues (public).
    District,
    /// A street's budget (public).
    Street(u32),
    /// A community's budget (public).
    Community(u32),
    /// Venture philanthropy (公益创投), pooled from district and street budgets (public).
    VentureFund,
    /// The golden-idea contest (金点子) fund (public).
    GoldenIdeas,
    /// Purchase of services from organisations (public).
    ServicePurchase,
    /// Foundations' endowment (social).
    Foundation,
    /// Social money for issues: foundations' matches (social).
    Social,
    /// Enterprises' resources for community work this year (the sum over enterprises).
    Enterprises,
    /// Residents' co-funding, paid in and out on the day it is pledged.
    Residents,
    /// Social organisations' funds (the sum over organisations).
    Organisations,
}

/// Whose money a pool holds, for spending metrics and leverage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Party and government budgets.
    Public,
    /// Foundations and philanthropy.
    Social,
    /// Enterprises.
    Enterprise,
    /// Residents.
    Resident,
    /// Organisations' own funds.
    Organisation,
}

const FIXED: [Pool; 9] = [
    Pool::District,
    Pool::VentureFund,
    Pool::GoldenIdeas,
    Pool::ServicePurchase,
    Pool::Foundation,
    Pool::Social,
    Pool::Enterprises,
    Pool::Residents,
    Pool::Organisations,
];

impl Pool {
    /// The pool's name in `ledger.csv`.
    pub fn name(&self) -> String {
        match self {
            Pool::District => "district".into(),
            Pool::Street(k) => format!("street_{k}"),
            Pool::Community(k) => format!("community_{k}"),
            Pool::VentureFund => "venture_fund".into(),
            Pool::GoldenIdeas => "golden_ideas".into(),
            Pool::ServicePurchase => "service_purchase".into(),
            Pool::Foundation => "foundation".into(),
            Pool::Social => "social".into(),
            Pool::Enterprises => "enterprises".into(),
            Pool::Residents => "residents".into(),
            Pool::Organisations => "organisations".into(),
        }
    }

    /// Whose money it is.
    pub fn class(&self) -> Class {
        match self {
            Pool::District
            | Pool::Street(_)
            | Pool::Community(_)
            | Pool::VentureFund
            | Pool::GoldenIdeas
            | Pool::ServicePurchase => Class::Public,
            Pool::Foundation | Pool::Social => Class::Social,
            Pool::Enterprises => Class::Enterprise,
            Pool::Residents => Class::Resident,
            Pool::Organisations => Class::Organisation,
        }
    }
}

/// Where money comes from outside the pools, or goes when it leaves them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outside {
    /// Public appropriations at the start of each budget year; unspent budgets lapse back.
    Treasury,
    /// Foundations' endowment, paid in once at the start.
    Endowment,
    /// Enterprises' own revenue: each year's resources for community work; the unused rest
    /// returns at the year's end.
    EnterpriseRevenue,
    /// Households' own money, for co-funding.
    Households,
    /// Founders' money that starts a new organisation.
    Founders,
    /// Members' dues to their organisation.
    MemberDues,
    /// Work on issues (what funded issues buy).
    IssueWork,
    /// Organisations' running costs.
    RunningCosts,
    /// What a dissolved organisation leaves (returned to its members).
    Dissolution,
}

impl Outside {
    /// Every outside source and use, for the ODD.
    pub const ALL: [Outside; 9] = [
        Outside::Treasury,
        Outside::Endowment,
        Outside::EnterpriseRevenue,
        Outside::Households,
        Outside::Founders,
        Outside::MemberDues,
        Outside::IssueWork,
        Outside::RunningCosts,
        Outside::Dissolution,
    ];

    /// Its name in `ledger.csv`.
    pub fn name(&self) -> &'static str {
        match self {
            Outside::Treasury => "treasury",
            Outside::Endowment => "endowment",
            Outside::EnterpriseRevenue => "enterprise_revenue",
            Outside::Households => "households",
            Outside::Founders => "founders",
            Outside::MemberDues => "member_dues",
            Outside::IssueWork => "issue_work",
            Outside::RunningCosts => "running_costs",
            Outside::Dissolution => "dissolution",
        }
    }

    /// What it is, for the ODD.
    pub fn doc(&self) -> &'static str {
        match self {
            Outside::Treasury => {
                "source and use: public budgets appropriated each budget year; unspent budgets lapse back at its end"
            }
            Outside::Endowment => "source: foundations' endowment, paid in on day 0",
            Outside::EnterpriseRevenue => {
                "source and use: each enterprise's yearly resources for community work; the unused rest returns at the year's end"
            }
            Outside::Households => "source: households' own money pledged as co-funding",
            Outside::Founders => "source: founders' money that starts an organisation",
            Outside::MemberDues => "source: members' yearly dues to their organisation",
            Outside::IssueWork => "use: work on an issue (its cost)",
            Outside::RunningCosts => "use: organisations' running costs",
            Outside::Dissolution => "use: funds a dissolved organisation returns to its members",
        }
    }
}

/// The other side of a flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Counterpart {
    /// The pool's balance when recording began (from the world's build and the warm-up),
    /// written once so that a ledger file balances on its own.
    Opening,
    /// An outside source or use.
    Outside(Outside),
    /// Another pool (a transfer).
    Pool(Pool),
}

impl Counterpart {
    /// Its name in `ledger.csv`.
    pub fn name(&self) -> String {
        match self {
            Counterpart::Opening => "opening".to_string(),
            Counterpart::Outside(o) => o.name().to_string(),
            Counterpart::Pool(p) => p.name(),
        }
    }
}

/// Into or out of a pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    /// Money into the pool.
    In,
    /// Money out of the pool.
    Out,
}

impl Direction {
    /// `in` or `out`.
    pub fn name(&self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }
}

/// One movement of money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Flow {
    /// The pool.
    pub pool: Pool,
    /// Into or out of it.
    pub direction: Direction,
    /// The source, the use, or the other pool.
    pub counterpart: Counterpart,
    /// Amount (> 0).
    pub amount: Cents,
}

/// The pools' balances and this tick's flows.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    streets: usize,
    balances: Vec<Cents>,
    opening: Vec<Cents>,
    flows: Vec<Flow>,
}

impl Ledger {
    /// An empty ledger for `streets` streets and `communities` communities.
    pub fn new(streets: usize, communities: usize) -> Ledger {
        let n = FIXED.len() + streets + communities;
        Ledger {
            streets,
            balances: vec![0; n],
            opening: vec![0; n],
            flows: Vec::new(),
        }
    }

    fn index(&self, pool: Pool) -> usize {
        match pool {
            Pool::Street(k) => FIXED.len() + k as usize,
            Pool::Community(k) => FIXED.len() + self.streets + k as usize,
            p => FIXED.iter().position(|&f| f == p).unwrap_or(0),
        }
    }

    /// Every pool, in a fixed order.
    pub fn pools(&self) -> impl Iterator<Item = Pool> + '_ {
        let communities = self.balances.len() - FIXED.len() - self.streets;
        FIXED
            .iter()
            .copied()
            .chain((0..self.streets as u32).map(Pool::Street))
            .chain((0..communities as u32).map(Pool::Community))
    }

    /// A pool's balance.
    pub fn balance(&self, pool: Pool) -> Cents {
        self.balances[self.index(pool)]
    }

    /// A pool's balance at the start of this tick.
    pub fn opening(&self, pool: Pool) -> Cents {
        self.opening[self.index(pool)]
    }

    /// Starts a tick: the balances now are its opening balances; the flows are cleared.
    pub fn start_tick(&mut self) {
        self.opening.copy_from_slice(&self.balances);
        self.flows.clear();
    }

    /// This tick's flows, in the order they happened.
    pub fn flows(&self) -> &[Flow] {
        &self.flows
    }

    fn record(
        &mut self,
        pool: Pool,
        direction: Direction,
        counterpart: Counterpart,
        amount: Cents,
    ) {
        if amount > 0 {
            self.flows.push(Flow {
                pool,
                direction,
                counterpart,
                amount,
            });
        }
    }

    /// Money into `pool` from an outside `source`.
    pub fn receive(&mut self, pool: Pool, source: Outside, amount: Cents) {
        let amount = amount.max(0);
        let i = self.index(pool);
        self.balances[i] += amount;
        self.record(pool, Direction::In, Counterpart::Outside(source), amount);
    }

    /// Up to `want` out of `pool` for an outside `use_`; returns what was paid.
    pub fn pay_out(&mut self, pool: Pool, use_: Outside, want: Cents) -> Cents {
        let i = self.index(pool);
        let paid = want.clamp(0, self.balances[i].max(0));
        self.balances[i] -= paid;
        self.record(pool, Direction::Out, Counterpart::Outside(use_), paid);
        paid
    }

    /// Up to `want` from `from` into `to`; returns what moved.
    pub fn transfer(&mut self, from: Pool, to: Pool, want: Cents) -> Cents {
        let (i, j) = (self.index(from), self.index(to));
        let moved = want.clamp(0, self.balances[i].max(0));
        self.balances[i] -= moved;
        self.balances[j] += moved;
        self.record(from, Direction::Out, Counterpart::Pool(to), moved);
        self.record(to, Direction::In, Counterpart::Pool(from), moved);
        moved
    }

    /// Pays up to `want` from `pool` for work on `issue` and books it on the issue by the
    /// pool's class. Returns what was paid.
    pub fn fund_issue(&mut self, pool: Pool, issue: &mut Issue, want: Cents) -> Cents {
        let paid = self.pay_out(pool, Outside::IssueWork, want);
        let f = &mut issue.funding;
        match pool.class() {
            Class::Public => f.public += paid,
            Class::Social => f.social += paid,
            Class::Enterprise => f.enterprise += paid,
            Class::Resident => f.resident += paid,
            Class::Organisation => f.social += paid,
        }
        paid
    }

    /// Returns every public pool's balance to the treasury (budgets lapse at the year's end).
    pub fn lapse_public(&mut self) {
        let public: Vec<Pool> = self
            .pools()
            .filter(|p| p.class() == Class::Public)
            .collect();
        for p in public {
            let b = self.balance(p);
            self.pay_out(p, Outside::Treasury, b);
        }
    }

    /// Checks the ledger identity for this tick: every pool's balance equals its opening
    /// balance plus inflows minus outflows, no balance is negative, and every transfer out
    /// of one pool is matched by the same amount into the other.
    pub fn check_identity(&self) -> Result<(), String> {
        let n = self.balances.len();
        let mut net = vec![0i128; n];
        let mut transfers: std::collections::BTreeMap<(Pool, Pool), i128> = Default::default();
        for f in &self.flows {
            let i = self.index(f.pool);
            let a = f.amount as i128;
            match f.direction {
                Direction::In => net[i] += a,
                Direction::Out => net[i] -= a,
            }
            if let Counterpart::Pool(other) = f.counterpart {
                let key = match f.direction {
                    Direction::Out => (f.pool, other),
                    Direction::In => (other, f.pool),
                };
                *transfers.entry(key).or_default() += match f.direction {
                    Direction::Out => a,
                    Direction::In => -a,
                };
            }
        }
        for (p, i) in self.pools().zip(0..n) {
            if self.balances[i] < 0 {
                return Err(format!(
                    "pool {}: balance {} < 0",
                    p.name(),
                    self.balances[i]
                ));
            }
            if self.opening[i] as i128 + net[i] != self.balances[i] as i128 {
                return Err(format!(
                    "pool {}: opening {} + flows {} ≠ balance {}",
                    p.name(),
                    self.opening[i],
                    net[i],
                    self.balances[i]
                ));
            }
        }
        if let Some(((a, b), d)) = transfers.iter().find(|(_, d)| **d != 0) {
            return Err(format!(
                "transfer {} → {} out and in differ by {d} cents",
                a.name(),
                b.name()
            ));
        }
        Ok(())
    }

    /// Moves money between two balances held outside the ledger's own vector, for pools
    /// that are sums over agents ([`Pool::Organisations`], [`Pool::Enterprises`]): the
    /// agent's own balance changes with the pool's.
    pub fn agent_receive(&mut self, pool: Pool, own: &mut Cents, source: Outside, amount: Cents) {
        let amount = amount.max(0);
        *own += amount;
        self.receive(pool, source, amount);
    }

    /// Pays up to `want` out of an agent's balance (and its pool) for an outside use.
    pub fn agent_pay_out(
        &mut self,
        pool: Pool,
        own: &mut Cents,
        use_: Outside,
        want: Cents,
    ) -> Cents {
        let want = want.clamp(0, (*own).max(0));
        let paid = self.pay_out(pool, use_, want);
        *own -= paid;
        paid
    }

    /// Moves up to `want` from a pool into an agent's balance (and its pool).
    pub fn transfer_to_agent(
        &mut self,
        from: Pool,
        to: Pool,
        own: &mut Cents,
        want: Cents,
    ) -> Cents {
        let moved = self.transfer(from, to, want);
        *own += moved;
        moved
    }

    /// Moves up to `want` from an agent's balance (and its pool) into another pool.
    pub fn transfer_from_agent(
        &mut self,
        from: Pool,
        own: &mut Cents,
        to: Pool,
        want: Cents,
    ) -> Cents {
        let want = want.clamp(0, (*own).max(0));
        let moved = self.transfer(from, to, want);
        *own -= moved;
        moved
    }

    /// Pays up to `want` from an agent's balance (and its pool) for work on `issue`.
    pub fn agent_fund_issue(
        &mut self,
        pool: Pool,
        own: &mut Cents,
        issue: &mut Issue,
        want: Cents,
    ) -> Cents {
        let want = want.clamp(0, (*own).max(0));
        let paid = self.fund_issue(pool, issue, want);
        *own -= paid;
        paid
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_holds_and_each_violation_is_caught() {
        let mut l = Ledger::new(2, 3);
        l.start_tick();
        l.receive(Pool::District, Outside::Treasury, 1_000);
        assert_eq!(l.transfer(Pool::District, Pool::Street(1), 400), 400);
        assert_eq!(l.pay_out(Pool::Street(1), Outside::IssueWork, 1_000), 400);
        assert_eq!(
            l.transfer(Pool::Community(2), Pool::Social, 50),
            0,
            "no overdraft"
        );
        l.check_identity().unwrap();
        assert_eq!(l.balance(Pool::District), 600);

        let mut bad = l.clone();
        bad.balances[0] += 1;
        assert!(bad.check_identity().unwrap_err().contains("district"));
        let mut bad = l.clone();
        bad.flows
            .retain(|f| !(f.direction == Direction::In && f.pool == Pool::Street(1)));
        assert!(
            bad.check_identity().is_err(),
            "a transfer without its inflow is caught"
        );
        let mut bad = l.clone();
        bad.flows.push(Flow {
            pool: Pool::Social,
            direction: Direction::Out,
            counterpart: Counterpart::Pool(Pool::Residents),
            amount: 5,
        });
        bad.flows.push(Flow {
            pool: Pool::Social,
            direction: Direction::In,
            counterpart: Counterpart::Outside(Outside::Endowment),
            amount: 5,
        });
        assert!(
            bad.check_identity().unwrap_err().contains("transfer"),
            "an outflow to a pool that never receives it is caught"
        );
    }

    #[test]
    fn lapse_returns_public_money_only() {
        let mut l = Ledger::new(1, 1);
        l.start_tick();
        l.receive(Pool::Community(0), Outside::Treasury, 70);
        l.receive(Pool::Foundation, Outside::Endowment, 90);
        l.lapse_public();
        assert_eq!(l.balance(Pool::Community(0)), 0);
        assert_eq!(l.balance(Pool::Foundation), 90);
        l.check_identity().unwrap();
    }

    #[test]
    fn cents_round_and_refuse_nonsense() {
        assert_eq!(cents(1.25), 125);
        assert_eq!(cents(0.125), 13);
        assert_eq!(cents(-3.0), 0);
        assert_eq!(cents(f64::NAN), 0);
        assert_eq!(yuan(250), 2.5);
    }
}
