// The dashboard's charts: one lazily imported chunk (`import('./charts')`), so the route's own
// chunk stays small and a phone that never opens the dashboard never downloads them.
export { default as BarChart } from './BarChart.svelte';
export { default as LineChart } from './LineChart.svelte';
export { default as StackedBar } from './StackedBar.svelte';
export type { Bar } from './BarChart.svelte';
export type { Series } from './LineChart.svelte';
export type { Part } from './StackedBar.svelte';
