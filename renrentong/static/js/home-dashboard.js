// The school admin's activation chart: <div data-chart='{"names": [...], "activated": [...],
// "not_activated": [...], "labels": [activated, not activated]}'> becomes a stacked ECharts bar chart.
// Loaded only on that page (home/school_admin.html); the same figures are in the table below it.
(function () {
  "use strict";

  function draw(element) {
    if (!window.echarts) {
      return;
    }
    var data = JSON.parse(element.getAttribute("data-chart"));
    var tokens = window.getComputedStyle(document.documentElement);
    var done = tokens.getPropertyValue("--rr-brand").trim() || "#1560bd";
    var waiting = tokens.getPropertyValue("--rr-border").trim() || "#d0d5dd";
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 32, containLabel: true },
      xAxis: { type: "category", data: data.names, axisLabel: { interval: 0, rotate: data.names.length > 8 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: data.labels[0], type: "bar", stack: "students", data: data.activated, itemStyle: { color: done } },
        { name: data.labels[1], type: "bar", stack: "students", data: data.not_activated, itemStyle: { color: waiting } }
      ]
    });
    element.setAttribute("data-drawn", "true");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function start() {
    var charts = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < charts.length; i++) {
      draw(charts[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
