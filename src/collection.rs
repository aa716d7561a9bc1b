//! What the list routes of every collection share: its own list, its file
//! download and the nested lists under a parent are one list with another
//! scope and format. A collection says how its parameters become SQL
//! ([`ListParams`]); [`respond`] does the rest through `crate::bulk`.

use crate::db::Conn;
use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse};

use crate::audit::Audited;
use crate::auth::Reader;
pub use crate::bulk::Fetch;
use crate::bulk::{self, Format};
use crate::db::Db;
use crate::error::ApiError;
use crate::fields::Fields;
use crate::http::Key;
use crate::listing::{FacetField, Filters, ListScope, Listing, Sort, SortField};
use crate::paging::{ListQuery, PageRequest};
use crate::params;
use crate::relations::parent_id;
use crate::tabular::Tabular;

/// A collection's list parameters: what they ask of the database. Every
/// list takes `slug=`, `q=`, `sort=` (and most `facets=`); a collection
/// adds its own filters in [`ListParams::filter`].
pub trait ListParams: Send + 'static {
    /// One row as listed.
    type Row: Audited + Send + 'static;
    /// The collection's path under the API prefix, also the download's
    /// file name (`"thematic-areas"`).
    const PATH: &'static str;
    /// The rows of a listing: the collection's plain `model::list` query.
    const FETCH: Fetch<Self::Row>;
    /// The fields `sort=` may name.
    const SORT: &'static [SortField];
    /// The table `q=` searches, and its title column (matches there rank first).
    const SEARCH: (&'static str, &'static str);
    /// The fields `facets=` may name.
    const FACETS: &'static [FacetField] = &[];

    /// The values of the parameters every list takes.
    fn common(&self) -> Common<'_>;

    /// Adds the collection's own filters (and `scope`'s) to `filters`.
    /// `conn` resolves related slugs (a 400 names one that does not exist).
    fn filter(
        &self,
        _conn: &mut Conn,
        _filters: &mut Filters,
        _scope: ListScope,
    ) -> Result<(), ApiError> {
        Ok(())
    }

    /// The SQL listing these parameters ask for, within `scope`, at `page`.
    fn listing(
        self,
        conn: &mut Conn,
        page: &PageRequest,
        scope: ListScope,
    ) -> Result<Listing, ApiError>
    where
        Self: Sized,
    {
        let common = self.common();
        let dialect = conn.dialect();
        let mut filters = params::by_slug(common.slug, dialect)?;
        self.filter(conn, &mut filters, scope)?;
        let relevance = params::with_search(&mut filters, common.q, Self::SEARCH)?;
        let sort = Sort::parse(common.sort, Self::SORT, relevance, dialect)?;
        Listing::new(filters, sort, page.limit, page.cursor.as_deref())?
            .with_facets(common.facets, Self::FACETS)
    }
}

/// `slug=`, `q=`, `sort=` and `facets=` as a list request gives them.
pub struct Common<'a> {
    slug: Option<&'a str>,
    q: Option<&'a str>,
    sort: Option<&'a str>,
    facets: Option<&'a str>,
}

type Given = Option<String>;

impl<'a> Common<'a> {
    /// The four parameters, in that order.
    pub fn new(slug: &'a Given, q: &'a Given, sort: &'a Given, facets: &'a Given) -> Self {
        Common {
            slug: slug.as_deref(),
            q: q.as_deref(),
            sort: sort.as_deref(),
            facets: facets.as_deref(),
        }
    }
}

/// The record a nested list is under, as its path names it.
pub enum Parent {
    Partner(Key),
    ThematicArea(Key),
}

impl Parent {
    /// `scope` narrowed to this parent; a 404 when it does not exist.
    fn narrow(&self, conn: &mut Conn, scope: &mut ListScope) -> Result<(), ApiError> {
        match self {
            Parent::Partner(key) => {
                scope.partner = Some(parent_id(conn, "partners", "partner", key)?);
            }
            Parent::ThematicArea(key) => {
                scope.thematic_area =
                    Some(parent_id(conn, "thematic_areas", "thematic area", key)?);
            }
        }
        Ok(())
    }
}

/// Answers a list route: `format` given by a download's path, else
/// negotiated; `parent` for a nested list.
pub async fn respond<Q: ListParams>(
    db: Data<Db>,
    req: &HttpRequest,
    reader: Reader,
    query: ListQuery<Q>,
    format: Option<Format>,
    parent: Option<Parent>,
) -> Result<HttpResponse, ApiError> {
    let located = Q::Row::LOCATED;
    let format = match format {
        Some(Format::GeoJson) if !located => {
            return Err(ApiError::NotFound(format!(
                "No route matches this path: {} have no place; only partners and events are \
                 served as .geojson.",
                Q::PATH
            )));
        }
        Some(format) => format,
        None => Format::negotiate(req, located)?,
    };
    let ListQuery {
        page,
        fields,
        filters,
    } = query;
    let fields = Fields::parse(fields.as_deref(), Q::Row::HEADER)?;
    let drafts = reader.drafts();
    let prepare = move |c: &mut Conn, page: &PageRequest| {
        let mut scope = ListScope {
            drafts,
            ..ListScope::default()
        };
        if let Some(parent) = parent {
            parent.narrow(c, &mut scope)?;
        }
        filters.listing(c, page, scope)
    };
    let list = bulk::List {
        format,
        page,
        fields,
        name: Q::PATH,
    };
    bulk::respond(db, req, list, prepare, Q::FETCH).await
}
