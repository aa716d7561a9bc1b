// How a frontend uses the generated types: list partners, read one by
// slug, and handle a problem+json answer. `npm run check` compiles this
// with `tsc --strict`; it runs in any browser or in Node 18+ (fetch).
import type { components, operations } from "./schema";

export type Partner = components["schemas"]["Partner"];
export type PartnerView = components["schemas"]["PartnerView"];
export type PartnerPage = components["schemas"]["Page_PartnerView"];
export type Problem = components["schemas"]["Problem"];
export type PartnerQuery = NonNullable<operations["list_partners"]["parameters"]["query"]>;

/** A non-2xx answer: the API's problem+json document. */
export class ApiProblem extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`);
  }
}

/** The API's root, such as `http://127.0.0.1:8080/api/v1`. */
export class Client {
  constructor(private readonly base: string) {}

  /** A page of partners; pass `meta.next_cursor` as `cursor` for the next. */
  async partners(query: PartnerQuery = {}): Promise<PartnerPage> {
    const url = new URL(`${this.base}/partners`);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) {
        // Array parameters (`fields`, `facets`, `sort`) are comma-separated.
        url.searchParams.set(name, Array.isArray(value) ? value.join(",") : String(value));
      }
    }
    return this.read<PartnerPage>(url);
  }

  /** One partner by id or slug. */
  async partner(idOrSlug: string | number): Promise<Partner> {
    return this.read<Partner>(new URL(`${this.base}/partners/${encodeURIComponent(idOrSlug)}`));
  }

  private async read<T>(url: URL): Promise<T> {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) {
      throw new ApiProblem((await response.json()) as Problem);
    }
    return (await response.json()) as T;
  }
}

/** Whether a listed partner came whole (no `fields=` asked for). */
export function isWhole(partner: PartnerView): partner is Partner {
  return "name" in partner && "created_at" in partner;
}

/** Prints the French partners and what a missing slug answers. */
export async function demo(base: string): Promise<void> {
  const client = new Client(base);
  const page = await client.partners({ country: ["FR"], sort: ["name"], limit: 5 });
  for (const partner of page.data) {
    if (isWhole(partner)) {
      console.log(`${partner.name} (${partner.city}), ${partner.role}`);
    }
  }
  const lille = await client.partner("lille-metropole");
  console.log(`${lille.name}: ${lille.latitude ?? "?"}, ${lille.longitude ?? "?"}`);
  try {
    await client.partner("no-such-partner");
  } catch (error) {
    if (error instanceof ApiProblem && error.problem.status === 404) {
      console.log(`as expected: ${error.problem.detail}`);
    } else {
      throw error;
    }
  }
}
