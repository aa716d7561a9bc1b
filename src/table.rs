//! What every resource's table has the same way, declared once for the
//! four models: its row and form structs from one list of columns
//! ([`record!`](crate::record)), and its plain queries: find by id or
//! slug, insert stamped with the time, update, delete
//! ([`table_queries!`](crate::table_queries)). Macros, because Diesel's
//! tables are types of their own, with no trait to be generic over that
//! keeps these queries typed and prepared once per connection.

/// Declares a table's structs from one list of its writable columns, each
/// `name: type,` with its doc comment and attributes:
///
/// - `pub struct $record in $table, written by $form { ... }`: the record
///   as stored and shown, `id`, the columns and the two timestamps, read by
///   Diesel, written by serde and described in the spec by utoipa (the doc
///   comments are the spec's descriptions); and `$form`.
/// - `struct $row in $table, written by $form { ... }`: the same, read by
///   Diesel (its fields checked against SQLite's types, which PostgreSQL's
///   match), for a table whose records are shown with their relations (a
///   struct of their own); and `$form`. It is also written by serde, as the
///   record shows these columns, for a page's cursor only
///   (`Listing::finish`). Its attributes are Diesel's, for the row alone
///   (a column's `deserialize_as`); a serde attribute there would change
///   the cursor.
///
/// `$form` is the columns alone, checked: what a create inserts and a
/// replace or an update sets. For this crate's models only (the paths it
/// names are this crate's).
#[macro_export]
macro_rules! record {
    (
        $(#[$meta:meta])*
        pub struct $record:ident in $table:ident, written by $form:ident {
            $($(#[$attr:meta])* $field:ident: $type:ty,)+
        }
    ) => {
        #[derive(
            Debug, Clone, diesel::Queryable, diesel::Selectable, serde::Serialize,
            utoipa::ToSchema,
        )]
        #[diesel(table_name = $table, check_for_backend($crate::db::MultiBackend))]
        $(#[$meta])*
        pub struct $record {
            /// Numeric id, set by the server.
            pub id: i32,
            $($(#[$attr])* pub $field: $type,)+
            /// When the record was created (UTC).
            #[serde(serialize_with = "crate::time::rfc3339")]
            #[schema(value_type = String, format = DateTime)]
            #[diesel(deserialize_as = $crate::time::Stamp)]
            pub created_at: chrono::NaiveDateTime,
            /// When the record last changed (UTC).
            #[serde(serialize_with = "crate::time::rfc3339")]
            #[schema(value_type = String, format = DateTime)]
            #[diesel(deserialize_as = $crate::time::Stamp)]
            pub updated_at: chrono::NaiveDateTime,
        }

        $crate::record!(@form $record, $table, $form, $($field: $type,)+);
        $crate::by_position!($record in $table: [id, $($field,)+ created_at, updated_at]);
    };
    (
        $(#[$meta:meta])*
        struct $row:ident in $table:ident, written by $form:ident {
            $($(#[$attr:meta])* $field:ident: $type:ty,)+
        }
    ) => {
        $(#[$meta])*
        // Serialize: a page's cursor is made from its last row's own
        // columns, as the record shows them, before the record is put
        // together with its relations (`Listing::finish`).
        #[derive(Debug, Clone, diesel::Queryable, diesel::Selectable, serde::Serialize)]
        #[diesel(table_name = $table, check_for_backend(diesel::sqlite::Sqlite))]
        struct $row {
            id: i32,
            $($(#[$attr])* $field: $type,)+
            #[serde(serialize_with = "crate::time::rfc3339")]
            #[diesel(deserialize_as = $crate::time::Stamp)]
            created_at: chrono::NaiveDateTime,
            #[serde(serialize_with = "crate::time::rfc3339")]
            #[diesel(deserialize_as = $crate::time::Stamp)]
            updated_at: chrono::NaiveDateTime,
        }

        $crate::record!(@form $row, $table, $form, $($field: $type,)+);
        $crate::by_position!($row in $table: [id, $($field,)+ created_at, updated_at]);
    };
    (@form $record:ident, $table:ident, $form:ident, $($field:ident: $type:ty,)+) => {
        #[doc = concat!(
            "The writable columns of `", stringify!($record), "`, checked: what a create \
             inserts and a replace or an update sets."
        )]
        #[derive(Debug, Clone, PartialEq, diesel::Insertable, diesel::AsChangeset)]
        #[diesel(table_name = $table, treat_none_as_null = true)]
        pub struct $form {
            $(pub $field: $type,)+
        }
    };
}

/// Makes `$row`, a `Queryable` and `Selectable` struct of `$table` whose
/// fields are `$column`s in this order, a [`Listed`](crate::listing::Listed) row, read by position
/// from `SELECT t.$column, ...`. With a test that the order is the one its
/// `Selectable` selects (and so its `Queryable` reads), named the same in
/// every module: one row per module.
#[macro_export]
macro_rules! by_position {
    ($row:ident in $table:ident: [$first:ident $(, $column:ident)* $(,)?]) => {
        impl<DB> diesel::QueryableByName<DB> for $row
        where
            DB: diesel::backend::Backend,
            $row: diesel::Selectable<DB>
                + diesel::Queryable<
                    diesel::dsl::SqlTypeOf<<$row as diesel::Selectable<DB>>::SelectExpression>,
                    DB,
                >,
        {
            fn build<'a>(row: &impl diesel::row::NamedRow<'a, DB>) -> diesel::deserialize::Result<Self> {
                $crate::listing::by_position(row)
            }
        }

        impl $crate::listing::Listed for $row {
            const COLUMNS: &'static str =
                concat!("t.", stringify!($first) $(, ", t.", stringify!($column))*);
        }

        #[cfg(test)]
        #[test]
        fn listed_columns_are_those_selected_in_order() {
            use diesel::prelude::*;
            let typed = diesel::debug_query::<diesel::sqlite::Sqlite, _>(
                &$table::table.select(<$row>::as_select()),
            )
            .to_string();
            let listed = <$row as $crate::listing::Listed>::COLUMNS
                .replace("t.", concat!("`", stringify!($table), "`.`"))
                .replace(", ", "`, ");
            assert!(typed.starts_with(&format!("SELECT {listed}` FROM")), "{typed}");
        }
    };
}

/// Declares, in a resource's model module, `pub fn find`, `insert`,
/// `update` and `delete` for `$table`, whose rows read as `$row` and whose
/// writable columns `$form` sets.
///
/// With `links: $links`, a [`crate::relations::LinkTables`]: the record is
/// `$record`, a row shown through the module's
/// `fn with_relations(conn, Vec<$row>, None)`, which returns what puts the
/// `$record`s together;
/// writes take a [`crate::relations::Linked`] form and keep the links with
/// the row, in the same transaction.
#[macro_export]
macro_rules! table_queries {
    ($table:ident, $row:ty, $form:ty) => {
        $crate::table_queries!(@rows $table, $row, $form);

        /// The record with this id or slug.
        pub fn find(conn: &mut $crate::db::Conn, key: &$crate::http::Key) -> diesel::QueryResult<$row> {
            find_row(conn, key)
        }

        /// Inserts a record; its id.
        pub fn insert(conn: &mut $crate::db::Conn, form: $form) -> diesel::QueryResult<i32> {
            insert_row(conn, &form)
        }

        /// Replaces the record's writable fields.
        pub fn update(conn: &mut $crate::db::Conn, id: i32, form: $form) -> diesel::QueryResult<()> {
            update_row(conn, id, &form)
        }

        /// Deletes the record.
        pub fn delete(conn: &mut $crate::db::Conn, id: i32) -> diesel::QueryResult<()> {
            delete_row(conn, id)
        }
    };
    ($table:ident, $row:ty => $record:ty, $form:ty, links: $links:expr) => {
        $crate::table_queries!(@rows $table, $row, $form);

        /// The record with this id or slug, with its relations.
        pub fn find(conn: &mut $crate::db::Conn, key: &$crate::http::Key) -> diesel::QueryResult<$record> {
            let row = find_row(conn, key)?;
            let mut found = with_relations(conn, vec![row], None)?();
            found.pop().ok_or(diesel::result::Error::NotFound)
        }

        /// Inserts a record with its links; its id. Run inside the write
        /// transaction: a failed link leaves no row behind.
        pub fn insert(
            conn: &mut $crate::db::Conn,
            write: $crate::relations::Linked<$form>,
        ) -> diesel::QueryResult<i32> {
            let id = insert_row(conn, &write.form)?;
            $links.insert(conn, id, &write)?;
            Ok(id)
        }

        /// Replaces the record's writable fields and its links.
        pub fn update(
            conn: &mut $crate::db::Conn,
            id: i32,
            write: $crate::relations::Linked<$form>,
        ) -> diesel::QueryResult<()> {
            update_row(conn, id, &write.form)?;
            $links.delete(conn, id)?;
            $links.insert(conn, id, &write)
        }

        /// Deletes the record and its own links.
        pub fn delete(conn: &mut $crate::db::Conn, id: i32) -> diesel::QueryResult<()> {
            $links.delete(conn, id)?;
            delete_row(conn, id)
        }
    };
    (@rows $table:ident, $row:ty, $form:ty) => {
        fn find_row(conn: &mut $crate::db::Conn, key: &$crate::http::Key) -> diesel::QueryResult<$row> {
            use diesel::prelude::*;
            let query = $table::table.select(<$row>::as_select());
            match key {
                $crate::http::Key::Id(id) => query.find(id).first(conn),
                $crate::http::Key::Slug(slug) => query.filter($table::slug.eq(slug)).first(conn),
            }
        }

        fn insert_row(conn: &mut $crate::db::Conn, form: &$form) -> diesel::QueryResult<i32> {
            use diesel::prelude::*;
            let at = $crate::time::now();
            let ids: Vec<i32> = diesel::insert_into($table::table)
                .values((form, $table::created_at.eq(at), $table::updated_at.eq(at)))
                .returning($table::id)
                // get_results runs the statement to completion, which lets
                // SQLite checkpoint its WAL (get_result would not;
                // docs/architecture.md).
                .get_results(conn)?;
            ids.first().copied().ok_or(diesel::result::Error::NotFound)
        }

        fn update_row(conn: &mut $crate::db::Conn, id: i32, form: &$form) -> diesel::QueryResult<()> {
            use diesel::prelude::*;
            diesel::update($table::table.find(id))
                .set((form, $table::updated_at.eq($crate::time::now())))
                .execute(conn)
                .map(drop)
        }

        fn delete_row(conn: &mut $crate::db::Conn, id: i32) -> diesel::QueryResult<()> {
            use diesel::prelude::*;
            diesel::delete($table::table.find(id)).execute(conn).map(drop)
        }
    };
}
