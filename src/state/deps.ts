// What an action is created with: its store and the workers it reaches (fakes in tests). The default
// instances are made in wiring.ts.
import type { Workers } from '../compute/client';
import type { AppStore } from './types';

export interface ActionDeps {
  store: AppStore;
  workers: Workers;
}
