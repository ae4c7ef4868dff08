//! Organisations, enterprises, social workers and government handlers.

use crate::world::money::Cents;

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
    /// A social organisation (社会组织): a community group, a social-work agency or a
    /// foundation's project.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Organisation {
        /// Community it serves.
        fixed community: u32, "id";
        /// Issue domain it works in (index into the scenario's domains).
        fixed domain: u16, "id";
        /// Skill its members bring to a case when no social worker works it.
        fixed professionalism: f32, "[0, 1]";
        /// Cases per day its staff hired with grants and fees add.
        dynamic paid_capacity: f64, "≥ 0 cases/day";
        /// Funds on hand.
        dynamic funds: Cents, "≥ 0 cents";
        /// Reputation in [0, 1]: rises with resolved cases, falls with failed ones; good
        /// work attracts members and purchase contracts.
        dynamic reputation: f32, "[0, 1]";
        /// Members (resident ids, sorted).
        dynamic members: Vec<u32>, "ids";
        /// Whether it is alive.
        dynamic alive: bool, "flag";
        /// Case credit: capacity accrues daily; taking a case uses one.
        dynamic credit: f64, "≥ 0 cases";
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
        /// Resources left this year for community work.
        dynamic resources: Cents, "≥ 0 cents";
        /// Social orientation in [0, 1] (资本的社会属性): the chance it answers a request.
        dynamic orientation: f64, "[0, 1]";
    }
}

/// No organisation, social worker or enterprise.
pub const NONE: u32 = u32::MAX;

state! {
    /// Social workers (社工), as columns: each has a skill, holds up to a caseload of cases at
    /// once, and is attached to its community's station or to an organisation.
    #[derive(Debug, Clone, Default)]
    pub struct SocialWorkers {
        /// Community of each social worker.
        fixed community: Vec<u32>, "id";
        /// Organisation each works for (`NONE`: the community station, 社工站).
        dynamic organisation: Vec<u32>, "id";
        /// Skill of each against issue complexity.
        fixed skill: Vec<f32>, "[0, 1]";
        /// Cases each holds now.
        dynamic cases: Vec<u32>, "count";
    }
}

impl SocialWorkers {
    /// Number of social workers.
    pub fn len(&self) -> usize {
        self.skill.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.skill.is_empty()
    }

    /// The most skilled social worker of `community` working where `at` says (an
    /// organisation, or `NONE` for the station) with room under `caseload`; ties go to
    /// the lowest id.
    pub fn free(&self, community: u32, at: u32, caseload: u32) -> Option<u32> {
        (0..self.len())
            .filter(|&k| {
                self.community[k] == community
                    && self.organisation[k] == at
                    && self.cases[k] < caseload
            })
            .max_by(|&a, &b| self.skill[a].total_cmp(&self.skill[b]).then(b.cmp(&a)))
            .map(|k| k as u32)
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
        /// Per street platform (department staff sunk to the street).
        dynamic platform: Vec<f64>, "≥ 0 cases";
        /// Per department.
        dynamic department: Vec<f64>, "≥ 0 cases";
    }
}

/// Daily capacity of each government handler, in cases per day (from the scenario's
/// per-resident capacities and the staff where they sit).
#[derive(Debug, Clone, Default)]
pub struct Capacities {
    /// Per community committee.
    pub community: Vec<f64>,
    /// Per street office.
    pub street: Vec<f64>,
    /// Per street platform: department staff sunk there.
    pub platform: Vec<f64>,
    /// Per department.
    pub department: Vec<f64>,
    /// Department staff (agents) per street platform.
    pub platform_staff: Vec<u32>,
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
    /// A street platform: department staff sunk to the street (四个平台).
    Platform = 4,
}

impl Handler {
    /// Every handler, in order.
    pub const ALL: [Handler; 5] = [
        Handler::Community,
        Handler::Street,
        Handler::Department,
        Handler::Organisation,
        Handler::Platform,
    ];

    /// Its name in metrics and records.
    pub fn name(&self) -> &'static str {
        match self {
            Handler::Community => "community",
            Handler::Street => "street",
            Handler::Department => "department",
            Handler::Organisation => "organisation",
            Handler::Platform => "platform",
        }
    }
}
