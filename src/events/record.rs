//! How an event is written: the shared write scripts (`crate::writes`)
//! with an event's rules. A partner key writes the events its partner
//! hosts, before and after the write, and so manages their participants.

use super::dto::EventInput;
use super::model::{self, Event, EventWrite};
use crate::audit::{Audited, Collection};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::writes::Resource;

impl Audited for Event {
    const COLLECTION: Collection = Collection::Events;
}

impl Resource for Event {
    const PATH: &'static str = "events";
    const NAME: &'static str = "event";
    type Input = EventInput;

    crate::plain_queries!(model);

    fn may_write(caller: &Caller, current: Option<&Self>) -> Result<(), ApiError> {
        match current {
            None => Ok(()),
            Some(event) => caller.may_write_event(event.host_partner.as_ref().map(|h| h.id)),
        }
    }

    fn may_make(caller: &Caller, _: Option<&Self>, write: &EventWrite) -> Result<(), ApiError> {
        caller.may_write_event(write.form.host_partner_id)
    }
}
