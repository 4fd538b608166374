// The statistics charts (STAT-2): each <div data-stats-chart="ID"> draws the ECharts options the server
// embedded with json_script under that ID (with the aria description naming the table's figures).
(function () {
  "use strict";

  function draw(element) {
    if (!window.echarts) {
      return;
    }
    var source = document.getElementById(element.getAttribute("data-stats-chart"));
    if (!source) {
      return;
    }
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption(JSON.parse(source.textContent));
    element.setAttribute("data-drawn", "true");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function start() {
    var charts = document.querySelectorAll("[data-stats-chart]");
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
