//! # 四个平台 + 综合指挥 Four platforms and the command centre (`platforms`)
//!
//! When the reform starts, the `world.department_staff` staff of the first
//! `world.platform_departments` departments are sunk into the street platforms
//! (comprehensive governance, law enforcement, market supervision, convenience services),
//! spread evenly over the streets. Each carries `government.staff_capacity` cases a day
//! from its department to its street's platform, and the department's skill: capacity
//! moves, it is not created. Work of those departments now goes to the platform of the
//! issue's street, where the command centre dispatches it to the staff who act in
//! `dispatch_days` instead of the silo coordination delay, because the handler that needs
//! a department's action now sits at the street.

use crate::engine::{Ctx, Mechanism, Phase};
use crate::scenario::mechanisms::Platforms;

/// The mechanism.
pub struct StreetPlatforms {
    p: Platforms,
}

/// The mechanism with its parameters.
pub fn new(p: &Platforms) -> StreetPlatforms {
    StreetPlatforms { p: p.clone() }
}

impl Mechanism for StreetPlatforms {
    fn phases(&self) -> &'static [Phase] {
        &[]
    }

    fn init(&mut self, ctx: &mut Ctx<'_>) {
        let s = ctx.scenario;
        let w = &mut *ctx.world;
        let caps = &mut w.capacities;
        let streets = caps.platform.len() as u32;
        let departments = s.world.platform_departments.min(caps.department.len() as u32);
        if streets == 0 || departments == 0 {
            return;
        }
        let staff = s.world.department_staff;
        let per_staff = s.government.staff_capacity;
        // Staff leave their departments (never below zero capacity)...
        for d in 0..departments {
            let leaving = staff / departments + u32::from(d < staff % departments);
            let cap = &mut caps.department[d as usize];
            *cap = (*cap - leaving as f64 * per_staff).max(0.0);
        }
        // ...and sit on the street platforms.
        for st in 0..streets {
            let arriving = staff / streets + u32::from(st < staff % streets);
            caps.platform_staff[st as usize] = arriving;
            caps.platform[st as usize] = arriving as f64 * per_staff;
        }
        w.arrangements.platform_dispatch_days = Some(self.p.dispatch_days);
    }

    fn act(&mut self, _phase: Phase, _ctx: &mut Ctx<'_>) {}
}
