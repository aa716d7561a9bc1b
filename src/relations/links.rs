//! The link tables of events and recommendations: a record's partners and
//! thematic areas, written with it, replaced whole when it is, deleted
//! with it.

use diesel::prelude::*;

use crate::db::Conn;
use crate::listing::{Bind, Clause, bound};

/// What a write of a record with links sets: its own columns and both
/// link sets (ids checked to exist).
#[derive(Debug, Clone, PartialEq)]
pub struct Linked<F> {
    pub form: F,
    pub partner_ids: Vec<i32>,
    pub thematic_area_ids: Vec<i32>,
}

/// A record's two link tables, each with `owner` (the column naming the
/// record) and `partner_id` or `thematic_area_id`.
pub struct LinkTables {
    pub partners: &'static str,
    pub thematic_areas: &'static str,
    pub owner: &'static str,
}

impl LinkTables {
    /// Links record `id` to what `write` names.
    pub fn insert<F>(&self, conn: &mut Conn, id: i32, write: &Linked<F>) -> QueryResult<()> {
        self.link(conn, (self.partners, "partner_id"), id, &write.partner_ids)?;
        let areas = (self.thematic_areas, "thematic_area_id");
        self.link(conn, areas, id, &write.thematic_area_ids)
    }

    /// Removes every link of record `id`.
    pub fn delete(&self, conn: &mut Conn, id: i32) -> QueryResult<()> {
        for table in [self.partners, self.thematic_areas] {
            let sql = format!("DELETE FROM {table} WHERE {} = ?", self.owner);
            run(conn, Clause::new(sql, vec![Bind::Int(id.into())]))?;
        }
        Ok(())
    }

    fn link(
        &self,
        conn: &mut Conn,
        (table, column): (&str, &str),
        id: i32,
        ids: &[i32],
    ) -> QueryResult<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let rows = vec!["(?, ?)"; ids.len()].join(", ");
        let sql = format!(
            "INSERT INTO {table} ({}, {column}) VALUES {rows}",
            self.owner
        );
        let binds = ids
            .iter()
            .flat_map(|&other| [Bind::Int(id.into()), Bind::Int(other.into())])
            .collect();
        run(conn, Clause::new(sql, binds))
    }
}

fn run(conn: &mut Conn, clause: Clause) -> QueryResult<()> {
    bound(&clause, conn.dialect()).execute(conn).map(drop)
}
