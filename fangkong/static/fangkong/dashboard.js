// The dashboard's trend charts (ECharts, canvas). Data comes from the page itself
// (json_script "trend-data"): dates, one series per figure, the charts to draw.
(function () {
  "use strict";
  var COLORS = ["#c62828", "#ef6c00", "#2e7d32", "#1565c0", "#6a1b9a"];

  function draw() {
    var node = document.getElementById("trend-data");
    if (!node || !window.echarts) return;
    var data = JSON.parse(node.textContent);
    var charts = [];
    data.charts.forEach(function (spec) {
      var el = document.getElementById(spec.id);
      if (!el) return;
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption({
        color: COLORS,
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { top: 0, textStyle: { fontSize: 11 } },
        grid: { left: 8, right: 12, top: 28, bottom: 4, containLabel: true },
        xAxis: { type: "category", data: data.dates, boundaryGap: !spec.stacked },
        yAxis: { type: "value", minInterval: 1 },
        series: spec.keys.map(function (key) {
          var s = { name: data.labels[key], type: spec.stacked ? "line" : "bar", data: data.series[key] };
          if (spec.stacked) { s.stack = "total"; s.areaStyle = {}; s.symbol = "none"; }
          if (!spec.stacked && spec.keys.length > 2) { s.type = "line"; s.symbolSize = 4; }
          return s;
        })
      });
      charts.push(chart);
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { c.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
