//! API keys: made, listed and revoked from the command line, stored only as
//! a hash of their secret half, and checked on every request that sends one.
//!
//! A key reads `cra_<prefix>_<secret>`: the prefix (64 random bits, public)
//! finds the row, the secret (256 random bits) is hashed with SHA-256 and
//! compared with the stored hash in constant time.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::{Caller, Scope};
use crate::db::Conn;
use crate::error::ApiError;
use crate::schema::{api_keys, partners};
use crate::time::{now, shown};

/// How stale `last_used_at` may be before a request refreshes it: to the
/// hour, which is what `keys list` is for (finding keys nobody uses). Each
/// refresh is a write, and every write makes every kept answer stale
/// (`crate::cache`): refreshed every minute, fifty busy keys would empty
/// the cache more than once a second.
pub const TOUCH_AFTER_SECONDS: i64 = 3600;

/// A key as `keys list` shows it: never the key itself.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyInfo {
    pub name: String,
    pub scope: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

impl std::fmt::Display for KeyInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let never = || "never".to_string();
        write!(
            f,
            "{}\t{}\tcreated {}\tlast used {}{}",
            self.name,
            self.scope,
            shown(&self.created_at),
            self.last_used_at.as_ref().map_or_else(never, shown),
            self.revoked_at
                .as_ref()
                .map_or(String::new(), |at| format!("\trevoked {}", shown(at))),
        )
    }
}

fn random<const N: usize>() -> anyhow::Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(bytes)
}

fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Makes a key named `name` with `scope` (`admin` or `partner:<slug>`) and
/// returns it: the only time it is ever shown.
pub fn create(conn: &mut Conn, name: &str, scope: &str) -> anyhow::Result<String> {
    // As every write: on PostgreSQL, one at a time with every instance's.
    crate::db::write_transaction(conn, |conn| make(conn, name, scope))
}

fn make(conn: &mut Conn, name: &str, scope: &str) -> anyhow::Result<String> {
    let name = name.trim();
    anyhow::ensure!(
        !name.is_empty() && name.chars().count() <= 100,
        "a key name is 1 to 100 characters"
    );
    let (scope, partner_id) = match scope.split_once(':') {
        None if scope == "admin" => ("admin", None),
        Some(("partner", slug)) => {
            let id: i32 = partners::table
                .filter(partners::slug.eq(slug))
                .select(partners::id)
                .first(conn)
                .optional()?
                .ok_or_else(|| anyhow::anyhow!("no partner has the slug '{slug}'"))?;
            ("partner", Some(id))
        }
        _ => anyhow::bail!("a scope is `admin` or `partner:<slug>`, not `{scope}`"),
    };
    let prefix: String = random::<8>()?.iter().map(|b| format!("{b:02x}")).collect();
    let secret = URL_SAFE_NO_PAD.encode(random::<32>()?);
    let inserted = diesel::insert_into(api_keys::table)
        .values((
            api_keys::name.eq(name),
            api_keys::prefix.eq(&prefix),
            api_keys::secret_hash.eq(digest(&secret)),
            api_keys::scope.eq(scope),
            api_keys::partner_id.eq(partner_id),
            api_keys::created_at.eq(now()),
        ))
        .execute(conn);
    match inserted {
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => {
            anyhow::bail!("a live key is already named '{name}'")
        }
        other => other?,
    };
    Ok(format!("cra_{prefix}_{secret}"))
}

/// name, scope, partner slug, created, last used, revoked.
type ListedKey = (
    String,
    String,
    Option<String>,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
);

/// Every key, oldest first.
pub fn list(conn: &mut Conn) -> QueryResult<Vec<KeyInfo>> {
    let rows: Vec<ListedKey> = api_keys::table
        .left_join(partners::table)
        .select((
            api_keys::name,
            api_keys::scope,
            partners::slug.nullable(),
            api_keys::created_at,
            api_keys::last_used_at,
            api_keys::revoked_at,
        ))
        .order(api_keys::id)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(name, scope, slug, created_at, last_used_at, revoked_at)| KeyInfo {
                name,
                scope: match (scope.as_str(), slug) {
                    ("partner", Some(slug)) => format!("partner:{slug}"),
                    ("partner", None) => "partner:(deleted)".into(),
                    _ => scope,
                },
                created_at,
                last_used_at,
                revoked_at,
            },
        )
        .collect())
}

/// Revokes the live key named `name`. On SQLite it returns once a server
/// on the same file must have seen it (`db::WATCH_INTERVAL`, twice): from
/// then on no server takes the key.
pub fn revoke(conn: &mut Conn, name: &str) -> anyhow::Result<()> {
    crate::db::write_transaction(conn, |conn| revoke_live(conn, name))?;
    if conn.dialect() == crate::db::Dialect::Sqlite {
        std::thread::sleep(2 * crate::db::WATCH_INTERVAL);
    }
    Ok(())
}

fn revoke_live(conn: &mut Conn, name: &str) -> anyhow::Result<()> {
    let revoked = diesel::update(
        api_keys::table
            .filter(api_keys::name.eq(name))
            .filter(api_keys::revoked_at.is_null()),
    )
    .set(api_keys::revoked_at.eq(now()))
    .execute(conn)?;
    anyhow::ensure!(revoked == 1, "no live key is named '{name}'");
    Ok(())
}

/// The caller a key belongs to, and whether its `last_used_at` is stale.
/// Unknown, malformed and revoked keys are all the same 401.
pub fn authenticate(conn: &mut Conn, key: &str) -> Result<(Caller, bool), ApiError> {
    let invalid = || {
        ApiError::Unauthorized(
            "The API key is not valid (unknown, malformed or revoked, or its partner was deleted)."
                .into(),
            true,
        )
    };
    let (prefix, secret) = key
        .strip_prefix("cra_")
        .and_then(|rest| rest.split_once('_'))
        .ok_or_else(invalid)?;
    type Row = (
        i32,
        String,
        String,
        String,
        Option<i32>,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
    );
    let row: Option<Row> = api_keys::table
        .filter(api_keys::prefix.eq(prefix))
        .select((
            api_keys::id,
            api_keys::name,
            api_keys::secret_hash,
            api_keys::scope,
            api_keys::partner_id,
            api_keys::last_used_at,
            api_keys::revoked_at,
        ))
        .first(conn)
        .optional()?;
    let Some((id, name, hash, scope, partner_id, last_used_at, revoked_at)) = row else {
        return Err(invalid());
    };
    let matches: bool = digest(secret).as_bytes().ct_eq(hash.as_bytes()).into();
    if !matches || revoked_at.is_some() {
        return Err(invalid());
    }
    let stale = last_used_at.is_none_or(|at| (now() - at).num_seconds() >= TOUCH_AFTER_SECONDS);
    let scope = match (scope.as_str(), partner_id) {
        ("admin", _) => Scope::Admin,
        (_, Some(partner)) => Scope::Partner(partner),
        // The key's partner was deleted: the key has nothing left to act
        // for, and must not keep reading that partner's drafts.
        (_, None) => return Err(invalid()),
    };
    Ok((
        Caller {
            key_id: id,
            name,
            scope,
        },
        stale,
    ))
}

/// Records that the key was used now.
pub fn touch(conn: &mut Conn, key_id: i32) -> QueryResult<()> {
    diesel::update(api_keys::table.find(key_id))
        .set(api_keys::last_used_at.eq(now()))
        .execute(conn)
        .map(drop)
}
