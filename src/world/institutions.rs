//! Organisations, enterprises, government nodes and the money ledger.

/// Declares a struct of state variables and its ODD table from one declaration: each field
/// is `fixed` or `dynamic`, with a type, a range and its doc comment as its meaning.
macro_rules! state {
    ($(#[doc = $sdoc:literal])* #[derive($($d:ident),*)] pub struct $name:ident { $( $(#[doc = $doc:literal])* $kind:ident $field:ident : $ty:ty, $range:literal; )* }) => {
        $(#[doc = $sdoc])*
        #[derive($($d),*)]
        pub struct $name { $( $(#[doc = $doc])* pub $field: $ty, )* }

        impl $name {
            /// The state-variable table for the ODD: (name, fixed or dynamic, type, range, meaning).
            pub const FIELDS: &'static [(&'static str, &'static str, &'static str, &'static str, &'static str)] =
                &[$( (stringify!($field), stringify!($kind), stringify!($ty), $range, concat!($($doc),*)), )*];
        }
    };
}
pub(crate) use state;

state! {
    /// A social organisation (社会组织): community group, social-work agency or foundation.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Organisation {
        /// Community it serves.
        fixed community: u32, "id";
        /// Issue domain it works in (index into the scenario's domains).
        fixed domain: u16, "id";
        /// Cases per day it can take.
        dynamic capacity: f64, "≥ 0 cases/day";
        /// Professionalism in [0, 1]: its skill on issues.
        dynamic professionalism: f64, "[0, 1]";
        /// Funds on hand (yuan).
        dynamic funds: f64, "≥ 0 yuan";
        /// Reputation in [0, 1].
        dynamic reputation: f64, "[0, 1]";
        /// Members (residents).
        dynamic members: u32, "count";
        /// Whether it is alive.
        dynamic alive: bool, "flag";
        /// Case credit: capacity accrues daily; taking a case uses one.
        dynamic credit: f64, "≥ 0 cases";
        /// Days since it last worked on a case.
        dynamic idle_days: u32, "days";
    }
}

state! {
    /// An enterprise (企业): a property company (物业) or a local business.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Enterprise {
        /// Community it is based in.
        fixed community: u32, "id";
        /// A property-management company (else a local business).
        fixed property: bool, "flag";
        /// Resources left this year for community work (yuan).
        dynamic resources: f64, "≥ 0 yuan";
        /// Social orientation in [0, 1] (资本的社会属性).
        dynamic orientation: f64, "[0, 1]";
        /// Reputation in [0, 1].
        dynamic reputation: f64, "[0, 1]";
    }
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

state! {
    /// Public, social and enterprise money, by pool.
    #[derive(Debug, Clone, Default)]
    pub struct Ledger {
        /// The district's yearly budget for community issues.
        dynamic district: Pool, "≥ 0 yuan";
        /// Each street's budget.
        dynamic streets: Vec<Pool>, "≥ 0 yuan";
        /// Each community's budget.
        dynamic communities: Vec<Pool>, "≥ 0 yuan";
        /// Social money for issues: venture philanthropy, golden ideas, service purchase.
        dynamic social: Pool, "≥ 0 yuan";
        /// Enterprise money set aside through matchmaking and regional party building.
        dynamic enterprise: Pool, "≥ 0 yuan";
        /// Resident co-funding (allocated when pledged, spent when paid).
        dynamic resident: Pool, "≥ 0 yuan";
    }
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

state! {
    /// Daily case credit of each government handler: capacity accrues each day (up to one
    /// day's worth, at least one case) and taking a case uses one.
    #[derive(Debug, Clone, Default)]
    pub struct Credits {
        /// Per community committee.
        dynamic community: Vec<f64>, "≥ 0 cases";
        /// Per street office.
        dynamic street: Vec<f64>, "≥ 0 cases";
        /// Per department.
        dynamic department: Vec<f64>, "≥ 0 cases";
    }
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
