//! A list read with the rows of a table beside its own, joined by id.

use diesel::prelude::*;
use diesel::result::Error;

use super::Listing;
use super::sql::{Clause, load};

impl Listing {
    /// Loads up to `limit + 1` rows of `table` (aliased `t`), each with
    /// the row of `beside` (aliased `l`) of the same id if that row passes
    /// `on` (plain SQL, nothing bound): `columns` of both, `l`'s null where
    /// no row passes. For a list without a search.
    ///
    /// Read as a subquery in the columns, `beside`'s row is looked up in its
    /// index once for every row. Here the cursor bounds both tables, so
    /// the planner may walk both indexes from it side by side: PostgreSQL
    /// then merges them, and read a batch of stored lines in half the time.
    /// With a filter it may do the same and walk `beside` over every row
    /// the filter passes over (twice as slow with one row in twenty
    /// passing), so filtered lists are better read with the subquery.
    pub fn rows_beside<T>(
        &self,
        conn: &mut crate::db::Conn,
        table: &str,
        beside: &str,
        on: &str,
        columns: &str,
    ) -> QueryResult<Vec<T>>
    where
        T: QueryableByName<diesel::sqlite::Sqlite> + QueryableByName<diesel::pg::Pg> + 'static,
    {
        if self.filters.search.is_some() {
            return Err(Error::QueryBuilderError(
                "a list through a search is not read beside another table".into(),
            ));
        }
        let sql =
            format!("SELECT {columns} FROM {table} t LEFT JOIN {beside} l ON l.id = t.id AND {on}");
        let mut query = Clause::new(sql, Vec::new());
        let keyset = self.after.as_ref().map(|position| {
            query.push_sql(" AND (");
            query.push(&self.sort.id_as("l.id").after(position));
            query.push_sql(")");
            self.sort.after(position)
        });
        query.push_sql(" WHERE ");
        query.push(&self.filters.to_clause(keyset.as_ref()));
        query.push_sql(" ORDER BY ");
        query.push(&self.sort.order_by());
        query.push_sql(&format!(" LIMIT {}", self.limit + 1));
        load(conn, &query)
    }
}
