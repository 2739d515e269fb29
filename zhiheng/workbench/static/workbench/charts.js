// 工作台 charts (issue 13): ECharts, served by the app, built from the JSON that Django's json_script puts
// next to each chart — no inline script, nothing from user data is evaluated (the CSP allows 'self' only).
// Each spec: {categories: [...], series: [{name, data: ["12.50", ...], type: "bar"|"line"}], unit, stack,
// horizontal}. Amounts arrive as exact decimal strings; ECharts plots their numeric value and the table
// under each chart shows them exactly.
(function () {
  "use strict";
  var PALETTE = ["#b7282e", "#2f6fb3", "#d4a72c", "#1a7f37", "#7c3aed", "#0e7490", "#c2410c", "#6b7280"];

  function compact(value) {
    var n = Number(value);
    if (Math.abs(n) >= 100000000) return (n / 100000000).toFixed(1).replace(/\.0$/, "") + "亿";
    if (Math.abs(n) >= 10000) return (n / 10000).toFixed(1).replace(/\.0$/, "") + "万";
    return String(n);
  }

  function option(spec, narrow) {
    var horizontal = !!spec.horizontal;
    var categoryAxis = {
      type: "category",
      data: spec.categories,
      axisLabel: horizontal
        ? { width: narrow ? 90 : 160, overflow: "truncate" }
        : { rotate: narrow ? 45 : 0, hideOverlap: true },
      inverse: horizontal,
    };
    var valueAxis = { type: "value", name: spec.unit, axisLabel: { formatter: compact }, minInterval: spec.integer ? 1 : 0 };
    var hasLine = spec.series.some(function (s) { return s.type === "line"; });
    var axes = [valueAxis];
    if (spec.dual && hasLine && !horizontal) {
      axes.push({ type: "value", splitLine: { show: false }, axisLabel: { formatter: compact }, minInterval: 1 });
    }
    return {
      color: PALETTE,
      animation: false,
      tooltip: { trigger: "axis", confine: true, axisPointer: { type: "shadow" } },
      legend: { type: "scroll", top: 0, textStyle: { fontSize: narrow ? 11 : 12 } },
      grid: { left: 8, right: 12, top: 36, bottom: 8, containLabel: true },
      xAxis: horizontal ? axes : categoryAxis,
      yAxis: horizontal ? categoryAxis : axes,
      series: spec.series.map(function (s, i) {
        var line = s.type === "line" && !horizontal;
        return {
          name: s.name,
          type: line ? "line" : "bar",
          data: s.data.map(Number),
          stack: spec.stack && !line ? "total" : undefined,
          yAxisIndex: line && axes.length > 1 && i > 0 ? 1 : 0,
          barMaxWidth: 28,
          emphasis: { focus: "series" },
        };
      }),
    };
  }

  function draw() {
    if (!window.echarts) return;
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var data = document.getElementById(el.getAttribute("data-chart"));
      if (!data) return;
      var spec = JSON.parse(data.textContent);
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option(spec, el.clientWidth < 480));
      el.setAttribute("data-ready", "1");
      charts.push({ chart: chart, el: el, spec: spec });
    });
    var pending = null;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () {
        charts.forEach(function (c) {
          c.chart.setOption(option(c.spec, c.el.clientWidth < 480), true);
          c.chart.resize();
        });
      }, 150);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
