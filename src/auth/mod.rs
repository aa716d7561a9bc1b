//! Who is calling, and what they may do. Reads are public except draft
//! recommendations; writes need a key; a partner key writes only within
//! its partner's reach.

pub mod keys;
mod known;
pub mod limit;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;

use crate::db::Db;
use crate::error::ApiError;
pub use known::KnownKeys;
use limit::WriteLimiter;

/// What a key may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Everything.
    Admin,
    /// Its partner's own record, the events it hosts, and the
    /// recommendations it is among the proposers of. (A key whose partner
    /// was deleted no longer authenticates.)
    Partner(i32),
}

/// The draft recommendations a caller sees: none (anonymous callers), the
/// ones its partner proposes (a partner key), or all of them (admins).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Drafts {
    #[default]
    None,
    ProposedBy(i32),
    All,
}

impl Drafts {
    /// Whether a draft proposed by `proposers` is shown.
    pub fn shows(self, proposers: &[i32]) -> bool {
        match self {
            Drafts::None => false,
            Drafts::ProposedBy(partner) => proposers.contains(&partner),
            Drafts::All => true,
        }
    }
}

/// The holder of a valid key.
#[derive(Debug, Clone)]
pub struct Caller {
    pub key_id: i32,
    /// The key's name, recorded in the audit trail.
    pub name: String,
    pub scope: Scope,
}

fn forbidden(what: &str) -> ApiError {
    ApiError::Forbidden(format!("This key may not {what}."))
}

impl Caller {
    /// The draft recommendations this key sees.
    pub fn drafts(&self) -> Drafts {
        match self.scope {
            Scope::Admin => Drafts::All,
            Scope::Partner(partner) => Drafts::ProposedBy(partner),
        }
    }

    pub fn is_admin(&self) -> bool {
        self.scope == Scope::Admin
    }

    fn partner(&self) -> Option<i32> {
        match self.scope {
            Scope::Partner(partner) => Some(partner),
            Scope::Admin => None,
        }
    }

    /// Only admins create or delete partners and write thematic areas.
    pub fn must_be_admin(&self, what: &str) -> Result<(), ApiError> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(forbidden(what))
        }
    }

    /// Only admins do `what` when `condition` holds (a partner key may not
    /// change its partner's role, say).
    pub fn must_be_admin_if(&self, condition: bool, what: &str) -> Result<(), ApiError> {
        if condition {
            self.must_be_admin(what)
        } else {
            Ok(())
        }
    }

    /// A partner key writes its own partner record only.
    pub fn may_write_partner(&self, partner: i32) -> Result<(), ApiError> {
        if self.is_admin() || self.partner() == Some(partner) {
            Ok(())
        } else {
            Err(forbidden("write another partner's record"))
        }
    }

    /// A partner key writes the events its partner hosts (before and after
    /// the write).
    pub fn may_write_event(&self, host: Option<i32>) -> Result<(), ApiError> {
        if self.is_admin() || (host.is_some() && host == self.partner()) {
            Ok(())
        } else {
            Err(forbidden("write an event its partner does not host"))
        }
    }

    /// A partner key writes the recommendations its partner is among the
    /// proposers of.
    pub fn may_write_recommendation(&self, proposers: &[i32]) -> Result<(), ApiError> {
        match self.partner() {
            _ if self.is_admin() => Ok(()),
            Some(partner) if proposers.contains(&partner) => Ok(()),
            _ => Err(forbidden(
                "write a recommendation its partner does not propose",
            )),
        }
    }

    /// A partner key adds or removes only itself among a recommendation's
    /// proposers (`before` is empty for a create): naming or dropping other
    /// partners takes their own key or an admin's.
    pub fn may_change_proposers(&self, before: &[i32], after: &[i32]) -> Result<(), ApiError> {
        let Some(partner) = self.partner() else {
            return Ok(());
        };
        let changed =
            |from: &[i32], to: &[i32]| from.iter().any(|p| *p != partner && !to.contains(p));
        if changed(before, after) || changed(after, before) {
            Err(forbidden(
                "add or remove other partners as proposers (only itself)",
            ))
        } else {
            Ok(())
        }
    }
}

/// The bearer token of a request: `None` without an `Authorization`
/// header, a 401 when the header is not `Bearer <token>`.
fn bearer(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| Some(token.trim().to_string()))
        .ok_or_else(|| {
            ApiError::Unauthorized(
                "Send the key as `Authorization: Bearer <key>`.".into(),
                true,
            )
        })
}

/// The caller `token` belongs to, as of the write `generation` (`None`:
/// now). A key checked under the same generation is known without a read.
async fn authenticate(
    req: &HttpRequest,
    token: String,
    generation: Option<u64>,
) -> Result<Caller, ApiError> {
    let (db, known) = (app_data::<Db>(req)?, app_data::<KnownKeys>(req)?);
    let generation = match generation {
        Some(generation) => generation,
        None => db.generation().await?,
    };
    if let Some(caller) = known.get(&token, generation) {
        return Ok(caller);
    }
    let caller = look_up(&db, token.clone()).await?;
    // Under the generation read before the key was: any write since (a
    // revocation, or the touch in `look_up`) makes this entry stale.
    known.insert(token, generation, caller.clone());
    Ok(caller)
}

/// The caller `token` belongs to, as the database says now; its last use
/// recorded when that is stale.
async fn look_up(db: &Db, token: String) -> Result<Caller, ApiError> {
    let (caller, stale) = db.read(move |c| keys::authenticate(c, &token)).await?;
    if stale {
        // Best effort: a database that takes no writes still serves reads.
        let key_id = caller.key_id;
        if let Err(e) = db.write(move |c| Ok(keys::touch(c, key_id)?)).await {
            log::debug!("last use of key {key_id} not recorded: {e}");
        }
    }
    Ok(caller)
}

fn app_data<T: 'static>(req: &HttpRequest) -> Result<Data<T>, ApiError> {
    req.app_data::<Data<T>>().cloned().ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!(
            "app data missing: {}",
            std::any::type_name::<T>()
        ))
    })
}

/// The caller of a read: anonymous, or the holder of a valid key (who also
/// sees the drafts in its scope). A key that is sent must be valid.
#[derive(Debug, Clone)]
pub struct Reader(pub Option<Caller>);

impl Reader {
    /// The draft recommendations shown to this caller.
    pub fn drafts(&self) -> Drafts {
        self.0.as_ref().map_or(Drafts::None, Caller::drafts)
    }

    /// What this caller may see: `None` for anonymous callers. Two callers
    /// with the same scope are shown the same.
    pub fn audience(&self) -> Option<Scope> {
        self.0.as_ref().map(|caller| caller.scope)
    }

    /// The caller of `req`, its key checked as of the write `generation`;
    /// kept with the request, so that the route's own `Reader` is this one.
    pub async fn resolve(req: &HttpRequest, generation: u64) -> Result<Reader, ApiError> {
        let reader = match bearer(req)? {
            None => Reader(None),
            Some(token) => Reader(Some(authenticate(req, token, Some(generation)).await?)),
        };
        req.extensions_mut().insert(reader.clone());
        Ok(reader)
    }
}

impl FromRequest for Reader {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let resolved = req.extensions().get::<Reader>().cloned();
        let req = req.clone();
        Box::pin(async move {
            if let Some(reader) = resolved {
                return Ok(reader);
            }
            match bearer(&req)? {
                None => Ok(Reader(None)),
                Some(token) => Ok(Reader(Some(authenticate(&req, token, None).await?))),
            }
        })
    }
}

/// The caller of a write: a valid key, within its rate limit.
#[derive(Debug, Clone)]
pub struct Writer(pub Caller);

impl FromRequest for Writer {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let token = bearer(&req)?.ok_or_else(|| {
                ApiError::Unauthorized("Writes need `Authorization: Bearer <key>`.".into(), false)
            })?;
            // Always from the database: on SQLite a key revoked by another
            // process is known to be for up to `db::WATCH_INTERVAL`,
            // which a read may be shown, never a write.
            let caller = look_up(&*app_data::<Db>(&req)?, token).await?;
            app_data::<WriteLimiter>(&req)?.check(caller.key_id)?;
            Ok(Writer(caller))
        })
    }
}
