//! `text_enum!`: a closed set of values stored as TEXT, e.g. a partner's role.
//! One macro instead of four copies of the same Diesel and serde glue; the
//! `CHECK` constraints in the migrations hold the same lists.

/// Declares an enum with its wire/database spellings, `as_str`, `parse`,
/// serde, OpenAPI schema and Diesel `Text` mappings. Only doc comments may
/// precede the name: they become the schema's description.
#[macro_export]
macro_rules! text_enum {
    ($(#[doc = $doc:literal])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize,
                 diesel::AsExpression, diesel::FromSqlRow)]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The spelling used in JSON and in the database.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

        }

        // Written by hand rather than derived: utoipa's derive does not see
        // a `serde(rename)` whose value comes from a macro argument, and
        // published the Rust variant names instead of the wire spellings.
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                let doc = [$($doc),*].map(str::trim).join("\n");
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .description(Some(doc))
                    .enum_values(Some([$($text),+]))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}

        impl $crate::tabular::Cell for $name {
            fn cell(&self) -> std::borrow::Cow<'_, str> {
                std::borrow::Cow::Borrowed(self.as_str())
            }
        }

        impl $crate::text_enum::TextEnum for $name {
            fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }

            fn spellings() -> Vec<&'static str> {
                vec![$($text),+]
            }
        }

        // One impl for every backend (SQLite, PostgreSQL and the two as
        // one): stored as the text itself.
        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut diesel::serialize::Output<'b, '_, DB>)
                -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, DB>>::to_sql(self.as_str(), out)
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(value: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let text = <String as diesel::deserialize::FromSql<diesel::sql_types::Text, DB>>::from_sql(value)?;
                <$name as $crate::text_enum::TextEnum>::parse(&text).ok_or_else(|| format!("unexpected {} in the database: {text}", stringify!($name)).into())
            }
        }
    };
}

/// What every `text_enum!` type offers to the parsing rules.
pub trait TextEnum: Sized + Copy {
    /// The value spelled `text`, if any.
    fn parse(text: &str) -> Option<Self>;

    /// Every spelling, in declaration order.
    fn spellings() -> Vec<&'static str>;

    /// "a, b or c", for error messages.
    fn choices() -> String {
        let all = Self::spellings();
        match all.split_last() {
            Some((last, [])) => last.to_string(),
            Some((last, rest)) => format!("{} or {}", rest.join(", "), last),
            None => String::new(),
        }
    }
}
