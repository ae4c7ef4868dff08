//! Organisations, enterprises, government nodes and the money ledger.

/// A social organisation (社会组织): community group, social-work agency or foundation.
#[derive(Debug, Clone, PartialEq)]
pub struct Organisation {
    /// Community it serves.
    pub community: u32,
    /// Issue domain it works in (index into the scenario's domains).
    pub domain: u16,
    /// Cases per day it can take.
    pub capacity: f64,
    /// Professionalism in [0, 1]: its skill on issues.
    pub professionalism: f64,
    /// Funds on hand (yuan).
    pub funds: f64,
    /// Reputation in [0, 1].
    pub reputation: f64,
    /// Members (residents).
    pub members: u32,
    /// Whether it is alive.
    pub alive: bool,
    /// Case credit: capacity accrues daily; taking a case uses one.
    pub credit: f64,
    /// Days since it last worked on a case.
    pub idle_days: u32,
}

/// An enterprise (企业): a property company (物业) or a local business.
#[derive(Debug, Clone, PartialEq)]
pub struct Enterprise {
    /// Community it is based in.
    pub community: u32,
    /// A property-management company (else a local business).
    pub property: bool,
    /// Resources left this year for community work (yuan).
    pub resources: f64,
    /// Social orientation in [0, 1] (资本的社会属性).
    pub orientation: f64,
    /// Reputation in [0, 1].
    pub reputation: f64,
}

/// A pool of money: what was allocated to it, what was spent from it.
/// Invariant: `allocated − spent = remaining ≥ 0`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Pool {
    /// Total put into the pool.
    pub allocated: f64,
    /// Total spent from the pool.
    pub spent: f64,
}

impl Pool {
    /// What is left.
    pub fn remaining(&self) -> f64 {
        self.allocated - self.spent
    }

    /// Adds money to the pool.
    pub fn allocate(&mut self, amount: f64) {
        self.allocated += amount.max(0.0);
    }

    /// Spends up to `want`; returns what was spent.
    pub fn spend(&mut self, want: f64) -> f64 {
        let paid = want.max(0.0).min(self.remaining().max(0.0));
        self.spent += paid;
        paid
    }
}

/// Public, social and enterprise money, by pool.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    /// The district's yearly budget for community issues.
    pub district: Pool,
    /// Each street's budget.
    pub streets: Vec<Pool>,
    /// Each community's budget.
    pub communities: Vec<Pool>,
    /// Social money for issues: venture philanthropy, golden ideas, service purchase.
    pub social: Pool,
    /// Enterprise money set aside through matchmaking and regional party building.
    pub enterprise: Pool,
    /// Resident co-funding (allocated when pledged, spent when paid).
    pub resident: Pool,
}

impl Ledger {
    /// All pools, for invariant checks.
    pub fn pools(&self) -> impl Iterator<Item = &Pool> {
        [
            &self.district,
            &self.social,
            &self.enterprise,
            &self.resident,
        ]
        .into_iter()
        .chain(self.streets.iter())
        .chain(self.communities.iter())
    }
}

/// Daily case credit of each government handler: capacity accrues each day (up to one
/// day's worth, at least one case) and taking a case uses one.
#[derive(Debug, Clone, Default)]
pub struct Credits {
    /// Per community committee.
    pub community: Vec<f64>,
    /// Per street office.
    pub street: Vec<f64>,
    /// Per department.
    pub department: Vec<f64>,
}

/// Handlers of issues, by government level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Handler {
    /// The community committee (居委会) and its grid leaders.
    Community = 0,
    /// The street office and its four platforms.
    Street = 1,
    /// A district department.
    Department = 2,
    /// A social organisation.
    Organisation = 3,
}
