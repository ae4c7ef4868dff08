//! The model's ODD description (Grimm et al. 2020, *JASSS* 23(2):7), generated from the
//! code's own registries so that nothing is written twice: the state-variable tables from
//! the resident columns and the institutions' declarations, the process overview from
//! [`engine::SCHEDULE`], the mechanisms from [`mechanisms::rules`], the submodels from the
//! phase and kernel modules' doc comments, and the parameter table from the scenario
//! schema ([`Scenario::params`]). Only what no registry holds (purpose, patterns, design
//! concepts) is prose here.

use std::fmt::Write as _;

use crate::engine::{self, Phase};
use crate::issues::Issue;
use crate::mechanisms::{self, module_doc};
use crate::scenario::Scenario;
use crate::scenario::experiment::SweepSpec;
use crate::scenario::schema::Section as _;
use crate::world::institutions::{Credits, Enterprise, Organisation, SocialWorkers};
use crate::world::money::Outside;
use crate::world::residents::Residents;

/// Heading prefix of each mechanism's section; one per registered mechanism.
pub const MECHANISM_HEADING: &str = "#### 7.3.";

const PURPOSE: &str = "\
**Purpose.** cogov lets a researcher compare configurations of *linkage mechanisms* (联动机制)
in urban community governance, after a study of Shangcheng District, Hangzhou (*联动的力量*,
2018), and see which combinations raise the resolution of community issues, participation
(\"active actors\", 积极行动者), trust and social capital, and prevent collective petitions
(群体性信访), at what public cost. The book's central claim is that co-governance (共建共治共享)
rests on ties between actors and on actors who act; the model switches and measures both
separately (ties: the network's bonding, bridging and linking capital; action: the active
share).

**Patterns.** Each is a shipped scenario whose outcome is measured, not asserted:

| id | pattern (from the book) | what is measured |
|---|---|---|
| P1 | Party-masses linkage spreads activity beyond party members (磁场效应) | active share among non-members, with vs without |
| P2 | Deliberation at key moments (五时五议) lets a large renovation pass with no collective petition | collective petitions during the renovation, with vs without |
| P3 | Elevator retrofit succeeds only with sustained, facilitated consultation (consent of 2/3 of households) | share of retrofit issues that reach consent |
| P4 | Three-society linkage closes the governance gap on complex issues | resolution rate of high-complexity issues |
| P5 | Government-enterprise linkage raises social resources per public yuan | leverage = (enterprise + social + resident funds) / public funds |
| P6 | Online linkage speeds detection but, without responsive handling, amplifies contention | detection delay; online contention index |
| P7 | A \"complaint society\" turns into a \"responsibility society\" (抱怨社会 → 责任社会) | complaints per resolved issue vs constructive reports per issue |
";

const DESIGN: &str = "\
- **Basic principles.** Participation is a threshold cascade (Granovetter 1978; Watts 2002);
  consent is a vote after bounded-confidence deliberation (Deffuant et al. 2000); grievance
  and complaints follow Epstein (2002); satisfaction follows the expectancy-disconfirmation
  model (Van Ryzin 2004); co-funding is conditional cooperation with a critical mass
  (Fischbacher, Gächter & Fehr 2001; Oliver, Marwell & Teixeira 1985).
- **Emergence.** The active share, the social-capital indices, petitions and the
  complaint-to-participation ratio emerge; nothing sets them directly.
- **Adaptation and learning.** Residents whose issues are resolved gain engagement
  (efficacy); failures frustrate. Institutional trust updates asymmetrically: bad
  experiences weigh more than good ones (Slovic 1993). Expectations adapt slowly to
  experienced performance.
- **Sensing.** Residents sense last tick's states of their network neighbours, the
  hardship of open issues at their household, building, grid and community, and their
  community's perceived performance.
- **Interaction.** Through the tie network (bonding within buildings, bridging across
  them, linking to institutional nodes), forums, organisations, and contact with handlers.
  Mechanisms interact only through the world's state and the levers, whose effects add up.
- **Stochasticity.** Every draw comes from ChaCha8 streams named by (seed, purpose,
  indices); the same scenario and seed give the same output, bit for bit, whatever the
  number of threads.
- **Collectives.** Households, buildings, grids, communities and streets are fixed
  collectives (contiguous ranges of resident ids); social organisations are born, grow and
  die.
- **Observation.** One row of metrics per tick and per-run summaries (a flow's total; a
  stock's final value and mean), as listed in the codebook below (written beside every
  output as metrics.csv); optionally one row per issue and a resident panel.

**Modelling choices** (where the specification left a choice open):

- *Hardship* of an open issue is severity × (0.5 + contention) once it is stalled (not yet
  known after `residents.stall_days`, or a failed vote); a top-down project at work causes
  severity × contention. A resident's hardship is `residents.hardship_per_severity` × the
  sum over its household, building, grid and community, capped at 1.
- *Grievance* relaxes at `residents.grievance_rate` toward hardship × (1 − legitimacy),
  legitimacy being the resident's institutional trust (Epstein 2002).
- *Petitions*: a known, stalled issue becomes a collective petition when the affected
  residents whose grievance (which already carries 1 − legitimacy) is above
  `residents.petition_grievance` reach both `residents.petition_min_count` and
  `residents.petition_share` of the affected. A petition lowers trust in the affected
  buildings and sends the issue to a department.
- *Perceived performance* of a community is a moving average of the outcome scores of the
  issues it closes (adjusting at rate min(0.02 × closed, 0.5) per day); a resident
  perceives it reduced by half its hardship. *Satisfaction* relaxes toward performance +
  (performance − expectation); expectations follow performance at
  `residents.expectation_rate` (Van Ryzin 2004).
- *Online sentiment* per community grows at `residents.sentiment_spread` × amplification ×
  online residents' mean grievance × u/(1+u) × (1 − sentiment), u being the known issues
  left unanswered, and decays at `residents.sentiment_decay` + damping × a/(1+a), a being
  the answered ones; the online contention index is its mean over communities.
";

const INITIALIZATION: &str = "\
The world is built from the scenario and its seed (`src/world/build.rs`): streets,
communities (sizes varying by `world.community_size_cv`), grids, buildings and households
as contiguous ranges of resident ids; ages, roles (party members, online users) and
thresholds drawn per resident; initial engagement, trust, satisfaction and expectation from
the distributions under `init` (clipped to [0, 1], per age group where that matters);
organisations, enterprises, social workers and government staff at the counts under
`world`; and the tie network under `network` (dense bonding ties within buildings, a
small-world graph within grids, organisation and institutional ties). Issues start
empty. A warm-up of `init.warmup` days runs before recording starts, without linkage
mechanisms: it is the world before the reform, in which stocks settle. On the first
recorded day each enabled mechanism sets itself up (recruits volunteers, adds ties) and
starts acting, so recorded series show the reform taking effect. Scheduled projects and
shocks count days from the end of the warm-up.
";

const INPUT: &str = "\
None is required. Scheduled projects (`[[projects]]`, e.g. the renovation of given
communities from a given day) and exogenous shocks (`[[shocks]]`, a domain's arrival rate
multiplied over a period) may come from the scenario.
";

/// The source of the module documenting each phase's core rule.
fn phase_source(phase: Phase) -> &'static str {
    match phase {
        Phase::Arrivals => include_str!("engine/arrivals.rs"),
        Phase::Detection => include_str!("engine/detection.rs"),
        Phase::Routing => include_str!("engine/routing.rs"),
        Phase::Deliberation => include_str!("engine/deliberation.rs"),
        Phase::Resourcing => include_str!("engine/resourcing.rs"),
        Phase::Implementation => include_str!("engine/implementation.rs"),
        Phase::Residents => include_str!("engine/residents.rs"),
        Phase::Organisations => include_str!("engine/organisations.rs"),
        Phase::Complaints => include_str!("engine/complaints.rs"),
        Phase::Observation => include_str!("observer.rs"),
    }
}

/// Published kernels shared by the engine and the verification suite.
const KERNELS: &[&str] = &[
    include_str!("submodels/activation.rs"),
    include_str!("submodels/bounded_confidence.rs"),
];

/// Rustdoc links (`[`x`](path)` and `[`x`]`) as plain code spans, for Markdown readers.
fn plain_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[`") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(close) = after.find("`]") else {
            out.push_str(&rest[start..]);
            return out;
        };
        out.push_str(&after[..close + 1]);
        rest = &after[close + 2..];
        if rest.starts_with('(')
            && let Some(end) = rest.find(')')
        {
            rest = &rest[end + 1..];
        }
    }
    out.push_str(rest);
    out
}

/// A module doc comment's text for the ODD, with links made plain.
fn doc_text(source: &str) -> String {
    plain_links(&module_doc(source))
}

/// Escapes a table cell: pipes and line breaks.
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

fn state_table(out: &mut String, title: &str, rows: &[Row]) {
    let _ = writeln!(out, "### {title}\n");
    out.push_str("| variable | fixed/dynamic | type | range | meaning |\n|---|---|---|---|---|\n");
    for (name, kind, ty, range, doc) in rows {
        let _ = writeln!(
            out,
            "| `{name}` | {kind} | `{}` | {} | {} |",
            ty.replace(' ', ""),
            cell(range),
            cell(doc)
        );
    }
    out.push('\n');
}

fn phase_name(phase: Phase) -> String {
    format!("{phase:?}")
}

/// The ODD document in Markdown for `scenario`; `source` names where it came from
/// (`None`: the documented defaults).
pub fn render(
    scenario: &Scenario,
    source: Option<&str>,
    measured: Option<&crate::targets::Measured>,
) -> String {
    let rules = mechanisms::rules();
    let mut o = String::new();
    o.push_str("# cogov: ODD description\n\n");
    let _ = writeln!(
        o,
        "Generated by `cogov odd` (cogov {}) from the code's registries, following the ODD \
         protocol's 2020 update (Grimm et al. 2020, *JASSS* 23(2):7). {} Do not edit by hand: \
         `cargo run -- odd --out docs/ODD.md` regenerates it.\n",
        env!("CARGO_PKG_VERSION"),
        match source {
            Some(s) => format!("Parameter values are those of the scenario `{s}`."),
            None => "Parameter values are the documented defaults.".to_string(),
        }
    );

    o.push_str("## 1. Purpose and patterns\n\n");
    o.push_str(PURPOSE);

    o.push_str("\n## 2. Entities, state variables and scales\n\n");
    o.push_str(
        "Entities: residents (agents), households, buildings, grids, communities and streets \
         (places: contiguous ranges of resident ids), social organisations, enterprises, \
         government nodes (community committees, street offices, district departments, with \
         their case credits and money pools) and issues (the work governance does; each \
         arises at a place, becomes known, is routed, may need consent, is funded, worked on, \
         and ends resolved or failed). Per community the world also holds perceived \
         performance and online sentiment (see design concepts).\n\n",
    );
    state_table(
        &mut o,
        "Residents (`world::residents::Residents`)",
        Residents::COLUMNS,
    );
    state_table(
        &mut o,
        "Social organisations (`world::institutions::Organisation`)",
        Organisation::FIELDS,
    );
    state_table(
        &mut o,
        "Enterprises (`world::institutions::Enterprise`)",
        Enterprise::FIELDS,
    );
    state_table(
        &mut o,
        "Government nodes: case credits (`world::institutions::Credits`)",
        Credits::FIELDS,
    );
    state_table(
        &mut o,
        "Social workers (`world::institutions::SocialWorkers`)",
        SocialWorkers::FIELDS,
    );
    money(&mut o);
    state_table(&mut o, "Issues (`issues::Issue`)", Issue::FIELDS);
    let w = &scenario.world;
    let _ = writeln!(
        o,
        "### Scales\n\nOne tick is one day; a run lasts {} (`ticks`). Space is not \
         continuous: it is the place hierarchy of {}, {}, {}, buildings of about {} \
         households, and households of about {} residents; {} in all (`world.*`).\n",
        plural(scenario.ticks as u64, "day"),
        plural(w.streets as u64, "street"),
        plural(w.communities as u64, "community"),
        plural(w.grids as u64, "grid"),
        w.households_per_building,
        w.household_size_mean,
        plural(w.residents as u64, "resident")
    );

    o.push_str("## 3. Process overview and scheduling\n\n");
    o.push_str(
        "Each tick runs these phases in this fixed order (`engine::SCHEDULE`). At the start \
         of each phase every enabled mechanism that acts in it does so, in registry order; \
         then the phase's core rule runs. Residents update synchronously (each reads last \
         tick's states).\n\n",
    );
    for (i, (phase, what)) in engine::SCHEDULE.iter().enumerate() {
        let acting: Vec<String> = rules
            .iter()
            .filter(|r| r.phases.contains(phase))
            .map(|r| format!("`{}`", r.key))
            .collect();
        let _ = write!(o, "{}. **{}.** {what}", i + 1, phase_name(*phase));
        if !acting.is_empty() {
            let _ = write!(o, " Mechanisms acting: {}.", acting.join(", "));
        }
        o.push('\n');
    }

    o.push_str("\n## 4. Design concepts\n\n");
    o.push_str(DESIGN);
    o.push_str(
        "\n### 4.1 Observation: the codebook\n\n\
         Every output directory holds this table as `metrics.csv`. Rows of table `timeseries` \
         are the columns of `timeseries.csv` (one row per recorded day after the warm-up); \
         rows of table `summary` are the per-run columns of `summary.csv` (a run) and \
         `runs.csv` (an experiment), which `aggregate.csv` and `contrasts.csv` name in their \
         `metric` column. A flow is summarised by its total; a stock by its final value and \
         its mean over the recorded days, except a cumulative one (a running mean or ratio), \
         whose final value already covers the run.\n\n",
    );
    o.push_str(&crate::metrics::codebook_markdown());
    o.push_str(
        "\nWith `[output] issues = true`, `issues.csv` holds one row per issue closed after \
         the warm-up or open at the end (ticks are days after the warm-up, as in \
         `timeseries.csv`; negative: during the warm-up; an experiment adds `run_id` first):\n\n",
    );
    o.push_str(&crate::records::markdown(crate::records::ISSUE_COLUMNS));
    o.push_str(
        "\nWith `[output] panel = { sample = N, every = K }`, `panel.csv` holds the state of \
         N residents, drawn once per run without replacement from a stream of their own (the \
         model's draws are unchanged), on days 0, K, 2K, ... after the warm-up:\n\n",
    );
    o.push_str(&crate::records::markdown(crate::records::PANEL_COLUMNS));

    o.push_str("\n## 5. Initialization\n\n");
    o.push_str(INITIALIZATION);
    o.push_str("\n## 6. Input data\n\n");
    o.push_str(INPUT);

    o.push_str("\n## 7. Submodels\n\n### 7.1 The phases' core rules\n\n");
    for (phase, _) in engine::SCHEDULE {
        let _ = writeln!(
            o,
            "#### {}\n\n{}\n",
            phase_name(*phase),
            doc_text(phase_source(*phase))
        );
    }
    o.push_str("### 7.2 Published kernels\n\n");
    for src in KERNELS {
        let _ = writeln!(o, "{}\n", doc_text(src));
    }
    o.push_str(
        "### 7.3 Linkage mechanisms\n\nEach mechanism is one module (`src/mechanisms/<key>.rs`) \
         whose doc comment is the rule below. Each is switched by `mechanisms.<key>.enabled`; \
         its parameters are under `mechanisms.<key>` in the table of section 7.4.\n\n",
    );
    for (i, r) in rules.iter().enumerate() {
        let text = plain_links(&r.rule);
        let (title, body) = match text.strip_prefix("# ") {
            Some(t) => t.split_once('\n').unwrap_or((t, "")),
            None => (r.key, text.as_str()),
        };
        let phases: Vec<String> = r.phases.iter().map(|p| phase_name(*p)).collect();
        let _ = writeln!(
            o,
            "{MECHANISM_HEADING}{} {}\n\nActs in: {}. Default: {}.\n\n{}\n",
            i + 1,
            title.trim(),
            phases.join(", "),
            if default_enabled(r.key) { "on" } else { "off" },
            body.trim()
        );
    }

    o.push_str("### 7.4 Parameters\n\n");
    o.push_str(
        "Every scenario parameter (`Scenario::params`, the schema walk), with its default, \
         its value here, unit, allowed values and meaning. Every number has an upper bound; \
         limits that depend on other parameters (`scenario::limits::RULES`) follow its own \
         range. `[sensitivity]` and `[calibration]` are listed with their defaults when the \
         scenario has none. A scenario within these limits is also refused when one run (or \
         an experiment's runs at once) would not fit in the machine's memory, estimated \
         before anything is built (`cogov check` prints the estimate).\n\n\
         | path | default | value | unit | allowed | meaning |\n|---|---|---|---|---|---|\n",
    );
    let mut params = scenario.params();
    // Optional sections, shown with their defaults when absent.
    if scenario.sensitivity.is_none() {
        let d = crate::sensitivity::SensitivityConfig::default();
        d.params_under(&d, "sensitivity", &mut params);
    }
    if scenario.calibration.is_none() {
        let d = crate::sensitivity::CalibrationConfig::default();
        d.params_under(&d, "calibration", &mut params);
    }
    for p in params {
        let _ = writeln!(
            o,
            "| `{}` | {} | {} | {} | {} | {} |",
            p.path,
            cell(&value_text(&p.default)),
            cell(&value_text(&p.value)),
            cell(p.meta.unit),
            cell(&crate::scenario::limits::allowed(
                &p.path,
                &p.meta.bounds.describe()
            )),
            cell(p.meta.doc)
        );
    }
    o.push_str(
        "\nKeys of the sections that set up analyses rather than the model (`[experiment]` \
         and `[output]` are in the table above):\n\n| key | default | meaning |\n|---|---|---|\n",
    );
    use crate::scenario::schema::key_rows;
    let sections = [
        (
            "plot",
            crate::plot::config::PLOT_KEYS,
            toml::Value::try_from(&scenario.plot).unwrap_or(toml::Value::Boolean(false)),
        ),
        (
            "sensitivity",
            crate::sensitivity::config::SENSITIVITY_KEYS,
            toml::Value::try_from(crate::sensitivity::SensitivityConfig::default())
                .unwrap_or(toml::Value::Boolean(false)),
        ),
        (
            "calibration",
            crate::sensitivity::config::CALIBRATION_KEYS,
            toml::Value::try_from(crate::sensitivity::CalibrationConfig::default())
                .unwrap_or(toml::Value::Boolean(false)),
        ),
    ];
    for (section, keys, defaults) in &sections {
        for (path, default, doc) in key_rows(section, keys, defaults) {
            let _ = writeln!(o, "| `{path}` | `{}` | {} |", cell(&default), cell(&doc));
        }
    }
    if !scenario.policy.is_empty() || !scenario.sweep.is_empty() {
        o.push_str("\n### 7.5 This scenario's experiment\n\n");
        for p in &scenario.policy {
            let set: Vec<String> = p
                .set
                .iter()
                .map(|(k, v)| format!("`{k}` = `{v}`"))
                .collect();
            let _ = writeln!(
                o,
                "- Policy `{}`{}: {}.",
                p.name,
                if p.description.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", p.description.trim_end_matches('.'))
                },
                if set.is_empty() {
                    "the scenario as written".to_string()
                } else {
                    set.join(", ")
                }
            );
        }
        let e = &scenario.experiment;
        for (path, spec) in &scenario.sweep {
            let over = match spec {
                SweepSpec::Range { from, to, .. } if e.design != "factorial" => {
                    format!("[{from}, {to}]")
                }
                _ => {
                    let values: Vec<String> = spec.values().iter().map(|v| v.to_string()).collect();
                    values.join(", ")
                }
            };
            let _ = writeln!(o, "- Swept: `{path}` over {over}.");
        }
        let _ = writeln!(
            o,
            "- Design `{}`{}; {} replicates per policy and sweep point, master seed {}.",
            e.design,
            if e.design == "latin_hypercube" {
                format!(" with {} samples", e.samples)
            } else {
                String::new()
            },
            e.replicates,
            e.seed
        );
    }
    calibration(&mut o, scenario, measured);
    o.push_str("\n## References\n\n");
    o.push_str(REFERENCES);
    o
}

/// Section 7.5: the defaults taken from the seed text, and the default district's targets
/// with the values its runs give.
fn calibration(o: &mut String, scenario: &Scenario, measured: Option<&crate::targets::Measured>) {
    o.push_str(
        "\n### 7.5 Calibration\n\nDefaults taken from the seed text (a parameter whose \
         documentation states `Seed:`; the others are assumptions, stated as such in the \
         table of section 7.4):\n\n| path | default | fact in the seed |\n|---|---|---|\n",
    );
    for p in scenario.params() {
        if let Some((_, fact)) = p.meta.doc.split_once("Seed:") {
            let _ = writeln!(
                o,
                "| `{}` | {} | {} |",
                p.path,
                cell(&value_text(&p.default)),
                cell(fact.trim())
            );
        }
    }
    let runs = match measured {
        Some(m) => format!(
            "the mean of {} seeds of `scenarios/shangcheng.toml` (`scenarios/calibration.toml`, \
             its `aggregate.csv` given to `cogov odd --targets`) with its 95% confidence \
             interval (Student t)",
            m.replicates()
        ),
        None => "not measured here (`cogov odd --targets FILE` fills this column)".into(),
    };
    let _ = writeln!(
        o,
        "\nTargets of the default district (all mechanisms on, 340,000 residents, three \
         recorded years after a warm-up of 730 days). Measured: {runs}. A value outside its \
         target is a finding, reported as measured; no parameter was tuned to reach it.\n\n\
         | target | summary column | target value | measured [95% CI] | source |\n|---|---|---|---|---|"
    );
    for t in crate::targets::TARGETS {
        let value = measured
            .and_then(|m| m.of(t))
            .map_or("not measured".into(), |(v, lo, hi)| {
                format!("{} [{}, {}]", sig(v), sig(lo), sig(hi))
            });
        let per = match t.per {
            crate::targets::Per::Run => "",
            crate::targets::Per::Year => " per year",
            crate::targets::Per::ResidentYear => " per resident and year",
            crate::targets::Per::Community => " per community",
        };
        let _ = writeln!(
            o,
            "| {} | `{}`{per} | {} | {value} | {} |",
            t.what,
            t.metric,
            cell(t.target),
            cell(t.source)
        );
    }
}

/// Three significant figures, without a trailing `.0`.
fn sig(x: f64) -> String {
    if !x.is_finite() {
        return "NA".into();
    }
    let digits = if x == 0.0 {
        0
    } else {
        (2 - x.abs().log10().floor() as i32).max(0) as usize
    };
    format!("{x:.digits$}")
}

/// `n word` with the word in the plural unless n is 1 (`1 street`, `6 streets`).
fn plural(n: u64, word: &str) -> String {
    match (n, word) {
        (1, w) => format!("1 {w}"),
        (n, w) if w.ends_with('y') => format!("{n} {}ies", &w[..w.len() - 1]),
        (n, w) => format!("{n} {w}s"),
    }
}

/// Whether mechanism `key` is on in the defaults.
fn default_enabled(key: &str) -> bool {
    let path = format!("mechanisms.{key}.enabled");
    Scenario::default()
        .params()
        .iter()
        .any(|p| p.path == path && p.default.as_bool() == Some(true))
}

/// A parameter value as a table cell shows it (code span; empty strings shown as "").
fn value_text(v: &toml::Value) -> String {
    format!("`{v}`")
}

const REFERENCES: &str = "\
- Choi, B. & Robertson, P. J. (2014). Deliberation and decision in collaborative governance. *JPART* 24(2):495–518.
- Deffuant, G., Neau, D., Amblard, F. & Weisbuch, G. (2000). Mixing beliefs among interacting agents. *Adv. Complex Syst.* 3:87–98.
- Epstein, J. M. (2002). Modeling civil violence. *PNAS* 99(suppl. 3):7243–7250.
- Fischbacher, U., Gächter, S. & Fehr, E. (2001). Are people conditionally cooperative? *Econ. Lett.* 71:397–404.
- Granovetter, M. (1978). Threshold models of collective behavior. *AJS* 83(6):1420–1443.
- Grimm, V. et al. (2020). The ODD protocol for describing agent-based and other simulation models: a second update. *JASSS* 23(2):7.
- Oliver, P., Marwell, G. & Teixeira, R. (1985). A theory of the critical mass I. *AJS* 91(3):522–556.
- Slovic, P. (1993). Perceived risk, trust, and democracy. *Risk Analysis* 13(6):675–682.
- Van Ryzin, G. G. (2004). Expectations, performance, and citizen satisfaction with urban services. *JPAM* 23(3):433–448.
- Watts, D. J. (2002). A simple model of global cascades on random networks. *PNAS* 99(9):5766–5771.
- *联动的力量：基层治理创新——以杭州市上城区为研究对象* [The Power of Linkage: Grassroots Governance Innovation, a Study of Shangcheng District, Hangzhou] (2018).
";

/// The money section: pools, and every outside source and use (credibility rule 2).
fn money(o: &mut String) {
    o.push_str(
        "**Money** (`world::money`). Every yuan sits in a pool: the district's, each street's \
         and each community's budget, the venture fund, the golden-idea fund and the \
         service-purchase pool (public); the foundations' endowment and the social pool \
         (social); the enterprises' resources for community work (the sum over \
         enterprises); residents' co-funding; organisations' funds (the sum over \
         organisations). Money enters a pool only from a named outside source, leaves it \
         only for a named use, or moves between pools; amounts are whole cents, and every \
         run writes each tick's flows to `ledger.csv` (`tick, pool, direction, counterpart, \
         amount, balance`), for which balance = previous balance + inflows − outflows holds \
         exactly. No mechanism creates money. Budgets, funds and fees are per resident or \
         per agent, so worlds of different sizes with the same proportions spend alike.\n\n\
         | outside source or use | what it is |\n|---|---|\n",
    );
    for x in Outside::ALL {
        let _ = writeln!(o, "| `{}` | {} |", x.name(), x.doc());
    }
    o.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_with_their_nouns() {
        assert_eq!(plural(1, "street"), "1 street");
        assert_eq!(plural(6, "street"), "6 streets");
        assert_eq!(plural(2, "community"), "2 communities");
        let mut s = Scenario::default();
        s.world.streets = 1;
        let odd = render(&s, None, None);
        assert!(odd.contains("1 street,") && !odd.contains("1 streets"));
    }

    #[test]
    fn analysis_keys_and_the_codebook_appear() {
        let odd = render(&Scenario::default(), None, None);
        for key in [
            "sensitivity.r",
            "sensitivity.parameters",
            "calibration.targets.<metric>",
            "calibration.draws",
            "plot.smooth",
        ] {
            assert!(odd.contains(&format!("| `{key}` |")), "{key}");
        }
        assert!(
            odd.contains("| `sensitivity.r` | `20` |"),
            "defaults come from the code"
        );
        assert!(odd.contains(&crate::metrics::codebook_markdown()));
        assert!(!odd.contains("MODEL.md"), "the reader has no MODEL.md");
    }

    #[test]
    fn plain_links_strips_rustdoc_targets() {
        assert_eq!(
            plain_links("see [`Record::detect`](super::Record::detect) and [`CHUNK`]."),
            "see `Record::detect` and `CHUNK`."
        );
        assert_eq!(plain_links("a [b] c"), "a [b] c");
    }

    #[test]
    fn every_parameter_path_appears() {
        let s = Scenario::default();
        let odd = render(&s, None, None);
        for p in s.params() {
            assert!(
                odd.contains(&format!("| `{}` |", p.path)),
                "{} missing",
                p.path
            );
        }
    }

    #[test]
    fn one_section_per_mechanism_with_its_rule() {
        let odd = render(&Scenario::default(), None, None);
        let sections = odd
            .lines()
            .filter(|l| l.starts_with(MECHANISM_HEADING))
            .count();
        assert_eq!(sections, crate::scenario::mechanisms::KEYS.len());
        for r in mechanisms::rules() {
            for line in plain_links(&r.rule).lines().skip(1) {
                assert!(odd.contains(line), "rule of {} missing: {line}", r.key);
            }
        }
    }

    #[test]
    fn every_phase_and_state_variable_appears() {
        let odd = render(&Scenario::default(), None, None);
        for (phase, what) in engine::SCHEDULE {
            assert!(odd.contains(what), "{phase:?}");
        }
        for (name, ..) in Residents::COLUMNS.iter().chain(Organisation::FIELDS) {
            assert!(odd.contains(&format!("| `{name}` |")), "{name}");
        }
    }

    #[test]
    fn parameter_paths_named_in_the_prose_exist() {
        let paths: Vec<String> = Scenario::default()
            .params()
            .into_iter()
            .map(|p| p.path)
            .collect();
        for prose in [PURPOSE, DESIGN, INITIALIZATION, INPUT] {
            for (k, span) in prose.split('`').enumerate() {
                let dotted = span.contains('.') && !span.contains(' ') && !span.contains('/');
                if k % 2 == 1 && dotted {
                    assert!(
                        paths.iter().any(|p| p.starts_with(span)),
                        "the ODD's prose names `{span}`, which is no scenario parameter"
                    );
                }
            }
        }
    }
}
