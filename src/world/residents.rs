//! Residents as columns (struct of arrays, `u32` ids). Residents of one building, grid,
//! community and street are contiguous, so every location is a range of ids.

/// Age group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Age {
    /// Young adult.
    Young = 0,
    /// Middle-aged.
    Middle = 1,
    /// Elder.
    Elder = 2,
}

/// Role bits in [`Residents::roles`].
pub mod role {
    /// A party member (党员).
    pub const PARTY: u8 = 1;
    /// Uses the community platform online (社区通).
    pub const ONLINE: u8 = 2;
    /// A volunteer grid member (网格员志愿者).
    pub const GRID_VOLUNTEER: u8 = 4;
    /// A member of a social organisation.
    pub const ORG_MEMBER: u8 = 8;
}

macro_rules! columns {
    ($(#[doc = $sdoc:literal])* pub struct $name:ident { $( $(#[doc = $doc:literal])* $kind:ident $field:ident : $ty:ty, $range:literal; )* }) => {
        $(#[doc = $sdoc])*
        #[derive(Debug, Clone, Default)]
        pub struct $name { $( $(#[doc = $doc])* pub $field: Vec<$ty>, )* }

        impl $name {
            /// Bytes one resident takes in all columns (for the memory estimate).
            pub const BYTES: usize = 0 $(+ std::mem::size_of::<$ty>())*;

            /// Empty columns with room for `n` residents, so that building a world of a
            /// known size allocates each column once.
            pub fn with_capacity(n: usize) -> Self {
                Self { $($field: Vec::with_capacity(n),)* }
            }

            /// The state-variable table for the ODD: (name, fixed or dynamic, type, range, meaning).
            pub const COLUMNS: &'static [(&'static str, &'static str, &'static str, &'static str, &'static str)] =
                &[$( (stringify!($field), stringify!($kind), stringify!($ty), $range, concat!($($doc),*)), )*];
        }
    };
}

columns! {
    /// Every resident's state, one column per variable.
    pub struct Residents {
        /// Household index.
        fixed household: u32, "id";
        /// Building (楼) index.
        fixed building: u32, "id";
        /// Grid (网格) index.
        fixed grid: u32, "id";
        /// Community (社区) index.
        fixed community: u16, "id";
        /// Age group: young adult, middle-aged, elder.
        fixed age: u8, "0–2";
        /// Role bits: party member, online, grid volunteer, organisation member.
        dynamic roles: u8, "bits";
        /// Activation threshold φ (Granovetter 1978; Watts 2002).
        fixed threshold: f32, "[0, 1]";
        /// Engagement e: propensity to take part.
        dynamic engagement: f32, "[0, 1]";
        /// Resting engagement e₀ that e relaxes toward.
        fixed engagement_rest: f32, "[0, 1]";
        /// Trust in party and government t_inst.
        dynamic trust_institutional: f32, "[0, 1]";
        /// Trust in neighbours t_nbr.
        dynamic trust_neighbour: f32, "[0, 1]";
        /// Grievance g = smoothed hardship × (1 − legitimacy) (Epstein 2002).
        dynamic grievance: f32, "[0, 1]";
        /// Satisfaction s (Van Ryzin 2004).
        dynamic satisfaction: f32, "[0, 1]";
        /// Expected service level x (Van Ryzin 2004).
        dynamic expectation: f32, "[0, 1]";
        /// Active flag (积极行动者).
        dynamic active: bool, "flag";
        /// Organisation the resident belongs to (u32::MAX: none).
        dynamic organisation: u32, "id";
    }
}

impl Residents {
    /// Number of residents.
    pub fn len(&self) -> usize {
        self.building.len()
    }

    /// Whether there are no residents.
    pub fn is_empty(&self) -> bool {
        self.building.is_empty()
    }

    /// Whether resident `i` has role bit `r`.
    #[inline]
    pub fn has(&self, i: usize, r: u8) -> bool {
        self.roles[i] & r != 0
    }
}
