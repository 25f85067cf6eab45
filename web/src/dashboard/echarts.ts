/**
 * Apache ECharts, tree-shaken: the core and only the charts and components the dashboard draws,
 * on the canvas renderer. Imported only by the dashboard's page, so it rides in that page's chunk
 * and no other page's first load grows (npm run bench -- web measures the member's home).
 */
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type { EChartsCoreOption } from 'echarts/core';
export { echarts };
