// Turns the `hub` query value into the absolute base URL the loader talks to.
import { DEFAULT_HUB } from '../core/permalink';

/** 'demo' is the app's own bundled demo hub (public/demo-hub), wherever the app is hosted. */
export const DEMO_HUB_ALIAS = 'demo';

export function resolveHubUrl(hub: string | null, baseUri: string): string {
  if (hub === null) return DEFAULT_HUB;
  if (hub === DEMO_HUB_ALIAS) return new URL('demo-hub', baseUri).href.replace(/\/+$/, '');
  return hub.replace(/\/+$/, '');
}

export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}
