//! The place hierarchy: district → streets → communities → grids → buildings → households.
//! Each place owns a contiguous range of resident ids and of the places below it.

use std::ops::Range;

/// Ranges of one level of the hierarchy: place `k` holds residents `starts[k]..starts[k+1]`.
#[derive(Debug, Clone, Default)]
pub struct Level {
    /// Offsets into the resident ids, one more than the number of places.
    pub starts: Vec<u32>,
}

impl Level {
    /// Number of places at this level.
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// Whether the level has no places.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Residents of place `k`.
    #[inline]
    pub fn residents(&self, k: usize) -> Range<u32> {
        self.starts[k]..self.starts[k + 1]
    }

    /// Number of residents of place `k`.
    #[inline]
    pub fn size(&self, k: usize) -> u32 {
        self.starts[k + 1] - self.starts[k]
    }
}

/// The scope of an issue: the level at which it arises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Scope {
    /// One household.
    Household = 0,
    /// One building (楼).
    Building = 1,
    /// One grid (网格).
    Grid = 2,
    /// One community (社区).
    Community = 3,
}

impl Scope {
    /// Parses the scenario's scope name (validated beforehand).
    pub fn from_name(s: &str) -> Scope {
        match s {
            "household" => Scope::Household,
            "grid" => Scope::Grid,
            "community" => Scope::Community,
            _ => Scope::Building,
        }
    }
}

/// All levels plus the parent of each place.
#[derive(Debug, Clone, Default)]
pub struct Places {
    /// Households.
    pub households: Level,
    /// Buildings.
    pub buildings: Level,
    /// Grids.
    pub grids: Level,
    /// Communities.
    pub communities: Level,
    /// Streets.
    pub streets: Level,
    /// Grid of each building.
    pub building_grid: Vec<u32>,
    /// Community of each grid.
    pub grid_community: Vec<u32>,
    /// Street of each community.
    pub community_street: Vec<u32>,
    /// Building of each household.
    pub household_building: Vec<u32>,
    /// Households per building (for consent shares).
    pub building_households: Vec<u32>,
    /// Households with at least one elder.
    pub elder_households: Vec<u32>,
    /// First building of each grid (one more entry than grids).
    pub grid_buildings: Vec<u32>,
    /// Whether a community has a 3+X service complex.
    pub community_has_complex: Vec<bool>,
}

impl Places {
    /// The level of a scope.
    pub fn level(&self, scope: Scope) -> &Level {
        match scope {
            Scope::Household => &self.households,
            Scope::Building => &self.buildings,
            Scope::Grid => &self.grids,
            Scope::Community => &self.communities,
        }
    }

    /// The community that contains resident `first` (any resident of a place).
    pub fn community_of_resident(&self, r: u32) -> usize {
        self.communities.starts.partition_point(|&s| s <= r) - 1
    }

    /// Households whose residents lie in `range` (households are contiguous too).
    pub fn households_in(&self, range: Range<u32>) -> Range<u32> {
        let h = &self.households.starts;
        let first = h.partition_point(|&s| s < range.start) as u32;
        let end = h.partition_point(|&s| s < range.end) as u32;
        first..end
    }
}
