//! How a partner is written: the shared write scripts (`crate::writes`)
//! with a partner's rules. Only admins create or delete partners or change
//! a role; a partner key writes its own record; there is one lead partner.

use crate::db::Conn;

use super::dto::PartnerInput;
use super::model::{self, Partner, PartnerForm};
use crate::audit::{Audited, Collection};
use crate::auth::Caller;
use crate::error::{ApiError, FieldError};
use crate::writes::Resource;

impl Audited for Partner {
    const COLLECTION: Collection = Collection::Partners;
}

impl Resource for Partner {
    const PATH: &'static str = "partners";
    const NAME: &'static str = "partner";
    type Input = PartnerInput;

    crate::plain_queries!(model);

    /// Other records' lines name a partner by its slug.
    fn renames(before: &Self, after: &Self) -> bool {
        before.slug != after.slug
    }

    fn may_write(caller: &Caller, current: Option<&Self>) -> Result<(), ApiError> {
        match current {
            None => caller.must_be_admin("create partners"),
            Some(partner) => caller.may_write_partner(partner.id),
        }
    }

    fn may_make(
        caller: &Caller,
        current: Option<&Self>,
        form: &PartnerForm,
    ) -> Result<(), ApiError> {
        let role_changes = current.is_some_and(|partner| partner.role != form.role);
        caller.must_be_admin_if(role_changes, "change a partner's role")
    }

    fn may_delete(caller: &Caller, _: &Self) -> Result<(), ApiError> {
        caller.must_be_admin("delete partners")
    }

    /// A 409 naming the current lead when `form` would make a second one.
    /// The partial unique index would refuse it too, but could not say who
    /// leads.
    fn clashes(conn: &mut Conn, form: &PartnerForm, id: Option<i32>) -> Result<(), ApiError> {
        if form.role != super::model::Role::LeadPartner {
            return Ok(());
        }
        match model::lead(conn)? {
            Some((lead, slug)) if Some(lead) != id => Err(ApiError::Conflict(
                format!("The network already has a lead partner: {slug}."),
                vec![FieldError::new(
                    "role",
                    format!("{slug} is already the lead partner"),
                )],
            )),
            _ => Ok(()),
        }
    }

    fn needed(conn: &mut Conn, current: &Self) -> Result<(), ApiError> {
        crate::relations::ensure_partner_unreferenced(conn, current.id, &current.slug)
    }
}
