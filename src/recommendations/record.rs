//! How a recommendation is written: the shared write scripts
//! (`crate::writes`) with a recommendation's rules. A partner key writes the
//! recommendations its partner proposes, and adds or removes only itself
//! among the proposers; a draft is shown only to admins and its proposers.

use super::dto::RecommendationInput;
use super::model::{self, Recommendation, RecommendationStatus, RecommendationWrite};
use crate::audit::{Audited, Collection};
use crate::auth::{Caller, Drafts};
use crate::error::ApiError;
use crate::relations::ids;
use crate::writes::Resource;

impl Audited for Recommendation {
    const COLLECTION: Collection = Collection::Recommendations;
}

impl Resource for Recommendation {
    const PATH: &'static str = "recommendations";
    const NAME: &'static str = "recommendation";
    type Input = RecommendationInput;

    crate::plain_queries!(model);

    fn shown(record: &Self, drafts: Drafts) -> bool {
        record.status != RecommendationStatus::Draft || drafts.shows(&ids(&record.partners))
    }

    fn may_write(caller: &Caller, current: Option<&Self>) -> Result<(), ApiError> {
        match current {
            None => Ok(()),
            Some(current) => caller.may_write_recommendation(&ids(&current.partners)),
        }
    }

    fn may_make(
        caller: &Caller,
        current: Option<&Self>,
        write: &RecommendationWrite,
    ) -> Result<(), ApiError> {
        let before = current.map(|c| ids(&c.partners)).unwrap_or_default();
        if current.is_none() {
            // A new one must be among the key's own.
            caller.may_write_recommendation(&write.partner_ids)?;
        }
        caller.may_change_proposers(&before, &write.partner_ids)
    }
}
