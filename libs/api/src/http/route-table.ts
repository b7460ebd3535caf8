import Router from 'find-my-way';

/**
 * Every route the application registered, so an unknown (method, path) can be told apart from a
 * known path called with the wrong method: Prefect answers the first 404 and the second 405.
 */
export class RouteTable {
  private readonly router = Router({ ignoreTrailingSlash: true, ignoreDuplicateSlashes: true });

  add(method: string | readonly string[], url: string): void {
    for (const m of typeof method === 'string' ? [method] : method) {
      if (m === 'HEAD' || m === 'OPTIONS') continue;
      if (this.router.hasRoute(m as Router.HTTPMethod, url)) continue;
      this.router.on(m as Router.HTTPMethod, url, () => undefined);
    }
  }

  has(method: string, path: string): boolean {
    return this.router.find(method as Router.HTTPMethod, path) !== null;
  }
}
