// Draws a Blackbox report: for each family's section its runs table and its plots (uPlot), a run selector that shows
// and hides a run's series in every plot, and, for the browser test, #report-status: what was drawn.
(function () {
    'use strict';
    var started = performance.now();
    var data = JSON.parse(document.getElementById('report-data').textContent);
    var palette = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2',
        '#7f7f7f', '#bcbd22'];
    var colorOf = {};
    data.runs.forEach(function (run, i) { colorOf[run.family + '\u0000' + run.id] = palette[i % palette.length]; });
    var dash = [[], [6, 3], [2, 2], [8, 2, 2, 2]];
    var root = document.getElementById('report');
    var charts = [];

    // Axis ticks readable at any scale: a learning rate of 3e-4 is not "0".
    function tick(v) {
        if (v === 0 || v === null) { return v === 0 ? '0' : ''; }
        var a = Math.abs(v);
        return (a >= 1e5 || a < 1e-2) ? v.toExponential(1) : String(+v.toPrecision(4));
    }

    function tickX(v) {
        var a = Math.abs(v);
        return a >= 1e6 ? +(v / 1e6).toPrecision(4) + 'M' : a >= 1e4 ? +(v / 1e3).toPrecision(4) + 'k' : String(v);
    }

    function el(tag, attrs, text) {
        var e = document.createElement(tag);
        Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
        if (text !== undefined) { e.textContent = text; }
        return e;
    }

    root.appendChild(el('h1', {}, data.title));
    root.appendChild(el('div', {'class': 'source'}, data.source));

    // The run selector: one checkbox a run, for every plot of its family.
    var runs = el('div', {'class': 'runs', 'id': 'run-selector'});
    data.runs.forEach(function (run) {
        var key = run.family + '\u0000' + run.id;
        var label = el('label', {});
        var box = el('input', {'type': 'checkbox', 'data-run': run.id, 'data-family': run.family});
        box.checked = true;
        box.addEventListener('change', function () { showRun(run.family, run.id, box.checked); });
        var swatch = el('span', {'class': 'swatch'});
        swatch.style.background = colorOf[key];
        label.appendChild(box);
        label.appendChild(swatch);
        label.appendChild(document.createTextNode(run.family + ' ' + run.id));
        runs.appendChild(label);
    });
    root.appendChild(runs);

    function showRun(family, run, show) {
        charts.forEach(function (chart) {
            if (chart.family !== family) { return; }
            chart.plot.series.forEach(function (s, i) {
                if (s.run === run) { chart.u.setSeries(i + 1, {show: show}); }
            });
        });
    }

    // Thresholds as dashed horizontal lines, markers (alerts) as vertical lines in their run's colour.
    function overlays(family, plot) {
        return function (u) {
            var ctx = u.ctx;
            var left = u.bbox.left, top = u.bbox.top, width = u.bbox.width, height = u.bbox.height;
            ctx.save();
            ctx.lineWidth = 1.5 * devicePixelRatio;
            ctx.font = (11 * devicePixelRatio) + 'px sans-serif';
            plot.thresholds.forEach(function (t) {
                var y = u.valToPos(t.y, 'y', true);
                if (y < top || y > top + height) { return; }
                ctx.strokeStyle = '#e6550d';
                ctx.setLineDash([8 * devicePixelRatio, 4 * devicePixelRatio]);
                ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(left + width, y); ctx.stroke();
                ctx.fillStyle = '#e6550d';
                ctx.fillText(t.label, left + 6 * devicePixelRatio, y - 4 * devicePixelRatio);
            });
            ctx.setLineDash([3 * devicePixelRatio, 3 * devicePixelRatio]);
            plot.markers.forEach(function (m) {
                var x = u.valToPos(m.x, 'x', true);
                if (x < left || x > left + width) { return; }
                ctx.strokeStyle = colorOf[family + '\u0000' + m.run] || '#000';
                ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, top + height); ctx.stroke();
                ctx.fillStyle = ctx.strokeStyle;
                ctx.fillText('\u25B2 ' + m.label, x + 3 * devicePixelRatio, top + 12 * devicePixelRatio);
            });
            ctx.restore();
        };
    }

    data.sections.forEach(function (section) {
        root.appendChild(el('h2', {}, section.title));
        if (section.rows.length) {
            var table = el('table', {'class': 'runs-table'});
            var head = el('tr', {});
            section.columns.forEach(function (c) { head.appendChild(el('th', {}, c)); });
            table.appendChild(head);
            section.rows.forEach(function (row) {
                var tr = el('tr', {});
                row.forEach(function (cell) { tr.appendChild(el('td', {}, cell)); });
                table.appendChild(tr);
            });
            root.appendChild(table);
        }
        var grid = el('div', {'class': 'plots'});
        root.appendChild(grid);
        section.plots.forEach(function (plot) {
            var box = el('div', {'class': 'plot', 'id': 'plot-' + section.family + '-' + plot.id});
            grid.appendChild(box);
            var labelsOfRun = {};
            var series = [{label: plot.x}];
            plot.series.forEach(function (s) {
                var n = labelsOfRun[s.run] = (labelsOfRun[s.run] || 0) + 1;
                series.push({
                    label: s.label,
                    stroke: colorOf[section.family + '\u0000' + s.run],
                    width: 1.25,
                    dash: dash[(n - 1) % dash.length],
                    spanGaps: true,
                    points: {show: s.x.length < 60}
                });
            });
            var aligned = uPlot.join(plot.series.map(function (s) { return [s.x, s.y]; }));
            var width = Math.max(480, box.clientWidth || 560);
            var u = new uPlot({
                title: plot.title,
                width: width,
                height: 300,
                scales: {x: {time: false}, y: {distr: plot.log ? 3 : 1}},
                legend: {live: false},
                axes: [{label: plot.x, space: 60, values: function (u, splits) { return splits.map(tickX); }},
                    {label: plot.y, size: 60,
                    values: function (u, splits) { return splits.map(tick); }}],
                series: series,
                hooks: {draw: [overlays(section.family, plot)]}
            }, aligned, box);
            var points = plot.series.reduce(function (sum, s) { return sum + s.points; }, 0);
            var kept = plot.series.reduce(function (sum, s) { return sum + s.x.length; }, 0);
            if (kept < points) {
                box.appendChild(el('div', {'class': 'note'}, points.toLocaleString('en') + ' points, ' +
                    kept.toLocaleString('en') + ' drawn (min and max of each of about 800 columns a series)'));
            }
            charts.push({family: section.family, plot: plot, u: u});
        });
    });

    // What was drawn: each plot's legend, and the pixels of each series' colour in its plotting area.
    function inked(u, color) {
        var ctx = u.ctx;
        var b = u.bbox;
        var image = ctx.getImageData(Math.round(b.left), Math.round(b.top), Math.max(1, Math.round(b.width)),
            Math.max(1, Math.round(b.height))).data;
        var r = parseInt(color.substr(1, 2), 16), g = parseInt(color.substr(3, 2), 16), bl = parseInt(color.substr(5, 2), 16);
        var count = 0;
        for (var i = 0; i < image.length; i += 4) {
            if (image[i + 3] > 128 && Math.abs(image[i] - r) < 40 && Math.abs(image[i + 1] - g) < 40 &&
                Math.abs(image[i + 2] - bl) < 40) {
                count++;
            }
        }
        return count;
    }
    // uPlot draws on its next frame: look once it has.
    requestAnimationFrame(function () { setTimeout(writeStatus, 0); });

    function writeStatus() {
    var status = {
        plots: charts.map(function (chart) {
            var legend = Array.prototype.map.call(chart.u.root.querySelectorAll('.u-legend .u-series .u-label'),
                function (e) { return e.textContent; });
            return {
                family: chart.family,
                id: chart.plot.id,
                title: chart.plot.title,
                // The x series has no row in a legend that is not live; it is dropped in case it has one.
                legend: legend.filter(function (label, i) { return !(i === 0 && label === chart.plot.x); }),
                series: chart.plot.series.map(function (s, i) {
                    return {label: s.label, run: s.run, points: s.points, drawn: s.x.length,
                        pixels: inked(chart.u, colorOf[chart.family + '\u0000' + s.run])};
                })
            };
        }),
        runs: data.runs.length,
        renderMs: Math.round(performance.now() - started),
        errors: window.__reportErrors
    };
    var out = document.getElementById('report-status');
    out.textContent = JSON.stringify(status);
    out.setAttribute('data-done', 'true');
    }
})();
