//! What the Support Center analysis derives from a catalogue and the curated workflows: the
//! universe of actions it reasons about, their families, what each workflow needs, and the
//! order messages list actions in. Built once per catalogue, at first use, and kept with it
//! (so a catalogue installed later gets its own).

use super::universe::{ActionSet, SUPPORT, SUPPORT_CONSOLE, TRUSTED_ADVISOR, Universe};
use crate::catalog::{self, ActionRef, Catalog, Evidence, Workflow};

pub(crate) struct SupportIndex {
    pub(crate) universe: Universe,
    /// Actions the console calls on the user's behalf (support and support-console).
    pub(crate) internal: ActionSet,
    pub(crate) support: ActionSet,
    pub(crate) console: ActionSet,
    pub(crate) trusted_advisor: ActionSet,
    /// `support:` actions that reach Trusted Advisor through the Support API.
    pub(crate) trusted_advisor_api: ActionSet,
    /// Actions some workflow needs.
    pub(crate) needed: ActionSet,
    /// Per workflow, in the catalogue's order.
    workflows: Vec<WorkflowNeeds>,
    /// Per universe action: the first workflow that names it and its place there.
    order: Vec<(usize, usize)>,
}

/// What one workflow needs, as universe actions.
pub(crate) struct WorkflowNeeds {
    pub(crate) workflow: &'static Workflow,
    /// Every action it needs (its patterns expanded).
    pub(crate) needs: ActionSet,
    /// The `support:` actions AWS documents it needs.
    pub(crate) documented_support: ActionSet,
    /// Its first action, and that action's universe index.
    pub(crate) main: Option<(ActionRef, usize)>,
}

/// The Support Center index of `catalog`.
pub(crate) fn index(catalog: &'static Catalog) -> &'static SupportIndex {
    catalog.support.get_or_init(|| SupportIndex::build(catalog))
}

impl SupportIndex {
    fn build(catalog: &'static Catalog) -> SupportIndex {
        let universe = Universe::build(catalog);
        let support = universe.namespace(SUPPORT);
        // Per universe action: the first workflow that names it and its place there.
        let mut order: Vec<(usize, usize)> = (0..universe.len()).map(|i| (usize::MAX, i)).collect();
        let mut needed = ActionSet::default();
        let mut workflows = Vec::new();
        for (w, workflow) in catalog::workflows().iter().enumerate() {
            let (mut needs, mut documented) = (ActionSet::default(), ActionSet::default());
            for (place, action) in workflow.actions.iter().enumerate() {
                let matched = universe.matching(action.action);
                for index in matched.iter() {
                    if let Some(first) = order.get_mut(index).filter(|o| o.0 == usize::MAX) {
                        *first = (w, place);
                    }
                }
                needs.union_with(&matched);
                if action.evidence == Evidence::Documented {
                    documented.union_with(&matched);
                }
            }
            needed.union_with(&needs);
            let main = workflow
                .actions
                .first()
                .and_then(|first| catalog.parse_action(first.action))
                .and_then(|action| Some((action, universe.index_of(action)?)));
            workflows.push(WorkflowNeeds {
                workflow,
                needs,
                documented_support: documented.intersect(&support),
                main,
            });
        }
        SupportIndex {
            internal: universe.filter(|e| e.internal),
            support,
            console: universe.namespace(SUPPORT_CONSOLE),
            trusted_advisor: universe.namespace(TRUSTED_ADVISOR),
            trusted_advisor_api: universe.filter(|e| {
                e.prefix == SUPPORT
                    && e.action
                        .name()
                        .to_ascii_lowercase()
                        .contains("trustedadvisor")
            }),
            needed,
            workflows,
            order,
            universe,
        }
    }

    /// Every workflow with what it needs, in the catalogue's order.
    pub(crate) fn workflows(&self) -> &[WorkflowNeeds] {
        &self.workflows
    }

    /// The workflow `id` with what it needs.
    pub(crate) fn workflow(&self, id: &str) -> Option<&WorkflowNeeds> {
        self.workflows.iter().find(|w| w.workflow.id == id)
    }

    /// The workflows that need universe action `index`, in the catalogue's order.
    pub(crate) fn workflows_needing(
        &self,
        index: usize,
    ) -> impl Iterator<Item = &'static Workflow> {
        self.workflows
            .iter()
            .filter(move |w| w.needs.contains(index))
            .map(|w| w.workflow)
    }

    /// The order messages list actions in: the first workflow that names the action, then
    /// its place in that workflow.
    pub(crate) fn workflow_order(&self, index: usize) -> (usize, usize) {
        self.order
            .get(index)
            .copied()
            .unwrap_or((usize::MAX, index))
    }
}
