#!/usr/bin/python3
"""Benchmark peers and scoring for scripts/bench/forecast.

A benchmark peer only, never part of adash: it runs under Debian's
/usr/bin/python3 with python3-pandas, python3-numpy and python3-sklearn.

    forecast_peers.py naive HISTORY HORIZON OUT
        seasonal naive: the value 7 days earlier; past the first week the
        last observed week is repeated: pred(T+h) = y(T + h - 7*ceil(h/7)).
    forecast_peers.py forest HISTORY PLANS HORIZON OUT [EXCLUDE,...]
        scikit-learn RandomForestRegressor(n_estimators=100, random_state=0,
        n_jobs=2) on the features adash-features writes for
        --lags 1,7,14 --rolling mean:7,std:7,mean:28
        --calendar dow,month,fourier:365.25:2 plus the covariates price,
        promo, footfall, temp_c (less EXCLUDE), forecast recursively day by
        day; covariates missing from PLANS are carried forward from the last
        observation, as adash-forecast does.
    forecast_peers.py check HISTORY FEATURES
        the largest difference between this file's features and the ones
        adash-features wrote (the two peers must see the same inputs).
    forecast_peers.py score METHODS SEEDDIR...
        METHODS: comma-separated names; SEEDDIR/fc-NAME.csv holds each
        method's forecast (shop_id,date,pred[,lo,hi]), SEEDDIR/truth.csv and
        SEEDDIR/history.csv the split.  Names starting with "adash-" are adash
        configurations; the one with the lowest mean MAE is "adash" for the
        goals.  Prints a table per seed, the means and the goal checks.
    forecast_peers.py speed SALES HORIZON
        the features -> train -> recursive forecast pipeline in pandas +
        scikit-learn (Ridge), for the speed comparison: prints stage times.
"""
import sys
import time

T0 = time.perf_counter()

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

KEY, TIME, TARGET = "shop_id", "date", "sales"
LAGS = (1, 7, 14)
ROLLING = (("mean", 7), ("std", 7), ("mean", 28))
FOURIER = ((365.25, 2),)
COVARIATES = ("footfall", "price", "promo", "temp_c")
LOOKBACK = max(max(LAGS), max(w for _, w in ROLLING))
EPOCH = np.datetime64("1970-01-01", "D")


def feature_names():
    names = [f"{TARGET}_lag_{k}" for k in LAGS]
    names += [f"{TARGET}_r{s}_{w}" for s, w in ROLLING]
    names += ["dow", "month"]
    for period, order in FOURIER:
        for k in range(1, order + 1):
            names += [f"fourier_{period:g}_sin_{k}", f"fourier_{period:g}_cos_{k}"]
    return names


def read_sales(path):
    df = pd.read_csv(path, dtype={KEY: str})
    df[TIME] = pd.to_datetime(df[TIME], format="%Y-%m-%d")
    return df


def calendar(dates):
    """dow (Monday 1 .. Sunday 7), month, Fourier terms of days since 1970."""
    d = pd.DatetimeIndex(dates)
    out = {"dow": d.dayofweek.to_numpy() + 1, "month": d.month.to_numpy()}
    t = (d.to_numpy().astype("datetime64[D]") - EPOCH).astype(np.int64).astype(float)
    for period, order in FOURIER:
        for k in range(1, order + 1):
            a = 2 * np.pi * k * t / period
            out[f"fourier_{period:g}_sin_{k}"] = np.sin(a)
            out[f"fourier_{period:g}_cos_{k}"] = np.cos(a)
    return out


def make_features(df):
    """Point-in-time features of every row, lags by calendar days: each
    shop is put on a complete daily index first, so a missing day never
    shifts a lag.  Rows without a full look-back are dropped, as
    adash-features --warmup drop does."""
    df = df.sort_values([KEY, TIME])
    spans = df.groupby(KEY)[TIME].agg(["min", "max"])
    if ((spans["max"] - spans["min"]).dt.days + 1 != df.groupby(KEY).size()).any():
        full = pd.MultiIndex.from_tuples(
            [(k, d) for k, r in spans.iterrows() for d in pd.date_range(r["min"], r["max"])],
            names=[KEY, TIME])
        df = df.set_index([KEY, TIME]).reindex(full).reset_index()
    g = df.groupby(KEY, sort=False)[TARGET]
    for k in LAGS:
        df[f"{TARGET}_lag_{k}"] = g.shift(k)
    past = g.shift(1)
    gp = past.groupby(df[KEY], sort=False)
    for stat, w in ROLLING:
        r = gp.rolling(w, min_periods=w)
        df[f"{TARGET}_r{stat}_{w}"] = getattr(r, stat)().reset_index(level=0, drop=True)
    for name, col in calendar(df[TIME]).items():
        df[name] = col
    return df.dropna(subset=feature_names() + [TARGET])


class History:
    """The last LOOKBACK days of every shop, by calendar day, then room for
    the predictions; and the last observed value of each covariate."""

    def __init__(self, df, horizon):
        df = df.sort_values([KEY, TIME])
        self.keys = df[KEY].drop_duplicates().to_numpy()
        last = df.groupby(KEY, sort=False)[TIME].max().reindex(self.keys)
        self.last = last.to_numpy().astype("datetime64[D]")
        # slot j of row i holds day last_i - LOOKBACK + 1 + j
        rel = (df[TIME].to_numpy().astype("datetime64[D]")
               - self.last[pd.Index(self.keys).get_indexer(df[KEY])]).astype(np.int64)
        keep = rel > -LOOKBACK
        rows = pd.Index(self.keys).get_indexer(df[KEY][keep])
        self.y = np.full((len(self.keys), LOOKBACK + horizon), np.nan)
        self.y[rows, rel[keep] + LOOKBACK - 1] = df[TARGET].to_numpy()[keep]
        self.carried = df.groupby(KEY, sort=False)[list(COVARIATES)].last().reindex(self.keys)

    def step(self, h, plans, covariates):
        """Feature matrix (a DataFrame, one row per shop) for day last + h."""
        j = LOOKBACK + h - 1          # slot of the day being forecast
        y = self.y
        X = {}
        for k in LAGS:
            X[f"{TARGET}_lag_{k}"] = y[:, j - k]
        for stat, w in ROLLING:
            win = y[:, j - w:j]
            n = np.sum(~np.isnan(win), axis=1)
            mean = np.nanmean(win, axis=1)
            if stat == "mean":
                X[f"{TARGET}_rmean_{w}"] = mean
            else:
                X[f"{TARGET}_r{stat}_{w}"] = np.sqrt(
                    np.nansum((win - mean[:, None]) ** 2, axis=1) / np.maximum(n - 1, 1))
        dates = self.last + h
        X.update(calendar(dates))
        X = pd.DataFrame(X)
        for c in covariates:
            v = self.carried[c].to_numpy(dtype=float)
            if plans is not None and c in plans.columns:
                p = plans[c].reindex(pd.MultiIndex.from_arrays(
                    [self.keys, pd.DatetimeIndex(dates)])).to_numpy(dtype=float)
                v = np.where(np.isnan(p), v, p)
            X[c] = v
        return X, dates

    def put(self, h, pred):
        self.y[:, LOOKBACK + h - 1] = pred


def recursive(hist, plans, horizon, covariates, predict):
    """Forecast day by day; each step's prediction feeds the next step's
    lags and windows."""
    H = History(hist, horizon)
    if plans is not None:
        plans = plans.set_index([KEY, TIME])
    out = []
    for h in range(1, horizon + 1):
        X, dates = H.step(h, plans, covariates)
        pred = predict(X)
        H.put(h, pred)
        out.append(pd.DataFrame({KEY: H.keys, TIME: pd.DatetimeIndex(dates), "step": h, "pred": pred}))
    return pd.concat(out).sort_values([KEY, TIME])


def write_fc(fc, path):
    fc = fc.copy()
    fc[TIME] = fc[TIME].dt.strftime("%Y-%m-%d")
    fc.to_csv(path, index=False, float_format="%.6f")


def cmd_naive(hist_path, horizon, out):
    df = read_sales(hist_path)
    H = History(df, int(horizon))
    rows = []
    for h in range(1, int(horizon) + 1):
        back = 7 * ((h + 6) // 7)
        rows.append(pd.DataFrame({KEY: H.keys, TIME: pd.DatetimeIndex(H.last + h), "step": h,
                                  "pred": H.y[:, LOOKBACK + h - 1 - back]}))
    write_fc(pd.concat(rows).sort_values([KEY, TIME]), out)


def cmd_forest(hist_path, plans_path, horizon, out, exclude=""):
    from sklearn.ensemble import RandomForestRegressor
    covariates = [c for c in COVARIATES if c not in exclude.split(",")]
    cols = feature_names() + covariates
    hist = read_sales(hist_path)
    feat = make_features(hist)
    rf = RandomForestRegressor(n_estimators=100, random_state=0, n_jobs=2)
    rf.fit(feat[cols].to_numpy(), feat[TARGET].to_numpy())
    plans = read_sales(plans_path)
    fc = recursive(hist, plans, int(horizon), covariates,
                   lambda X: rf.predict(X[cols].to_numpy()))
    write_fc(fc, out)


def cmd_check(hist_path, feat_path):
    mine = make_features(read_sales(hist_path))
    theirs = read_sales(feat_path)
    m = theirs.merge(mine, on=[KEY, TIME], suffixes=("", "_py"))
    worst = max(float(np.max(np.abs(m[c] - m[c + "_py"]))) for c in feature_names())
    print(f"{len(theirs)} adash rows, {len(mine)} pandas rows, {len(m)} matched, "
          f"largest feature difference {worst:.3g}")
    return 0 if len(m) == len(theirs) == len(mine) and worst < 1e-6 else 1


def read_fc(path):
    """A forecast file; values that do not parse as numbers (adash writing a
    non-finite value) count as infinitely wrong, and are counted."""
    fc = pd.read_csv(path, dtype={KEY: str, "pred": str, "lo": str, "hi": str})
    fc[TIME] = pd.to_datetime(fc[TIME], format="%Y-%m-%d")
    bad = 0
    for c in ("pred", "lo", "hi"):
        if c in fc.columns:
            v = pd.to_numeric(fc[c], errors="coerce")
            b = v.isna() & fc[c].notna()
            bad += int(b.sum())
            fc[c] = v.where(~b, np.inf)
    return fc, bad


def scores(truth, hist, fc):
    """MAE, RMSE, sMAPE, MASE (mean of per-shop MASE), MASE (pooled: MAE /
    mean per-shop scale) and interval coverage, on the truth rows."""
    extra = len(fc.merge(truth[[KEY, TIME]], on=[KEY, TIME], how="left", indicator=True)
                .query("_merge == 'left_only'"))
    m = truth[[KEY, TIME, TARGET]].merge(fc, on=[KEY, TIME], how="left")
    missing = int(m["pred"].isna().sum())
    y, f = m[TARGET].to_numpy(), m["pred"].to_numpy(dtype=float)
    err = np.abs(y - f)
    denom = np.abs(y) + np.abs(f)
    with np.errstate(invalid="ignore", divide="ignore"):
        smape = np.where(denom > 0, 2 * err / np.where(denom > 0, denom, 1), 0)
        smape = np.where(np.isinf(f), 2, smape)
    hs = hist.set_index(TIME)
    scale = {}
    for k, s in hs.groupby(KEY)[TARGET]:
        s = s.sort_index()
        scale[k] = (s - s.shift(7, freq="D").reindex(s.index)).abs().mean()
    # numpy means: pandas' compensated group sums turn inf into NaN
    mae_shop = pd.Series(err).groupby(m[KEY].to_numpy()).agg(lambda v: np.mean(v.to_numpy()))
    sc = pd.Series(scale).reindex(mae_shop.index)
    with np.errstate(invalid="ignore", over="ignore"):
        r = {"MAE": err.mean(), "RMSE": np.sqrt(np.mean(err ** 2)), "sMAPE": 100 * smape.mean(),
             "MASE": float(np.mean((mae_shop / sc).to_numpy())), "MASEp": err.mean() / float(sc.mean()),
             "cover": np.nan, "width": np.nan, "missing": missing, "extra": extra}
        if "lo" in m.columns and m["lo"].notna().all():
            lo, hi = m["lo"].to_numpy(dtype=float), m["hi"].to_numpy(dtype=float)
            r["cover"] = 100 * np.mean((y >= lo) & (y <= hi))
            r["width"] = float(np.mean(hi - lo))
    return r


COLS = (("MAE", 9, 2), ("RMSE", 9, 2), ("sMAPE", 7, 2), ("MASE", 7, 3),
        ("MASEp", 7, 3), ("cover", 6, 1), ("width", 8, 1))


def fmt(v, width, dec):
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "%*s" % (width, "-")
    s = "%.*f" % (dec, v)
    if len(s) > width - 1:
        s = "%.2g" % v
    return "%*s" % (width, s)


def table(title, rows):
    print(title)
    print("  %-30s" % "method" + "".join("%*s" % (w, name) for name, w, _ in COLS))
    for name, r, note in rows:
        if r is None:
            print("  %-30s  %s" % (name, note))
            continue
        print("  %-30s" % name + "".join(fmt(r[c], w, d) for c, w, d in COLS)
              + ("  " + note if note else ""))


def cmd_score(methods, *dirs):
    methods = methods.split(",")
    per = {m: [] for m in methods}
    for d in dirs:
        truth, hist = read_sales(f"{d}/truth.csv"), read_sales(f"{d}/history.csv")
        rows = []
        for m in methods:
            try:
                fc, bad = read_fc(f"{d}/fc-{m}.csv")
            except (OSError, pd.errors.EmptyDataError):
                per[m].append(None)
                rows.append((m, None, "failed: no forecast (see the log)"))
                continue
            r = scores(truth, hist, fc)
            per[m].append(r)
            note = []
            if bad:
                note.append(f"{bad} values not numbers")
            if r["missing"]:
                note.append(f"{r['missing']} held-out rows not forecast")
            if r["extra"]:
                note.append(f"{r['extra']} forecast rows off the held-out days")
            rows.append((m, r, ", ".join(note)))
        print()
        table(f"{d.rstrip('/').rsplit('/', 1)[-1]}: {len(truth)} held-out rows "
              f"({truth[KEY].nunique()} shops x {truth[TIME].nunique()} days)", rows)
    ok = [m for m in methods if all(r is not None for r in per[m])]
    mean = {m: {c: float(np.mean([r[c] for r in per[m]])) for c, _, _ in COLS} for m in ok}
    print()
    table(f"mean over {len(dirs)} seeds",
          [(m, mean.get(m), "" if m in mean else "failed on some seed") for m in methods])
    print("""
  MAE, RMSE, sMAPE (%) over all held-out shop-days; MASE = mean over shops of
  (the shop's MAE / the shop's in-sample mean |y_t - y_t-7| over its history);
  MASEp = pooled MAE / mean of those per-shop scales; cover = % of the truth
  within [lo, hi] of the 80% interval; width = mean hi - lo.""")
    adash = [m for m in methods if m.startswith("adash-") and m in mean]
    if not adash:
        print("\nno adash configuration ran on every seed")
        return 1
    best = min(adash, key=lambda m: mean[m]["MAE"])
    a = mean[best]
    print(f"\n\"adash\" = {best} (lowest mean MAE of the {len(adash)} adash configurations)")
    for fo in [m for m in methods if m.startswith("forest") and m in mean]:
        ratios = [ra["MAE"] / rf["MAE"] for ra, rf in zip(per[best], per[fo])]
        ratio = a["MAE"] / mean[fo]["MAE"]
        print(f"  adash MAE / {fo} MAE: {ratio:.3f} (per seed {' '.join('%.3f' % x for x in ratios)})"
              + ("   goal <= 0.85: " + ("met" if ratio <= 0.85 else "NOT met")
                 if fo == "forest" else "   (for information)"))
    print(f"  adash MASE (mean of per-shop): {a['MASE']:.3f}, pooled {a['MASEp']:.3f}   goal < 1: "
          + ("met" if a["MASE"] < 1 else "NOT met"))
    if np.isnan(a["cover"]):
        print("  adash coverage: the forecast has no interval")
    else:
        print(f"  adash 80% interval coverage: {a['cover']:.1f}% (per seed "
              + " ".join("%.1f" % r["cover"] for r in per[best]) + ")   goal 75%-85%: "
              + ("met" if 75 <= a["cover"] <= 85 else "NOT met"))
    if "naive" in mean:
        print(f"  adash MAE / seasonal-naive MAE: {a['MAE'] / mean['naive']['MAE']:.3f}")
    good = [m for m in adash if 75 <= mean[m]["cover"] <= 85]
    if good and best not in good:
        b2 = min(good, key=lambda m: mean[m]["MAE"])
        print(f"  best configuration with coverage in 75%-85%: {b2}: MAE {mean[b2]['MAE']:.2f}, "
              f"MASE {mean[b2]['MASE']:.3f}, coverage {mean[b2]['cover']:.1f}%"
              + (f", MAE / forest MAE {mean[b2]['MAE'] / mean['forest']['MAE']:.3f}" if "forest" in mean else ""))
    return 0


def cmd_speed(sales_path, horizon):
    from sklearn.linear_model import Ridge
    from sklearn.preprocessing import StandardScaler
    t_import = time.perf_counter() - T0
    t = time.perf_counter()
    df = read_sales(sales_path)
    t_read = time.perf_counter() - t

    t = time.perf_counter()
    feat = make_features(df)
    t_feat = time.perf_counter() - t

    cols = feature_names() + list(COVARIATES)

    def design(X):
        # one-hot day of week and month, as adash-train does
        D = [X[[c for c in cols if c not in ("dow", "month")]].to_numpy(dtype=float)]
        for c, n in (("dow", 7), ("month", 12)):
            D.append((X[c].to_numpy()[:, None] == np.arange(1, n + 1)[None, :]).astype(float))
        return np.hstack(D)

    t = time.perf_counter()
    scaler = StandardScaler()
    model = Ridge(alpha=1.0)
    model.fit(scaler.fit_transform(design(feat)), feat[TARGET].to_numpy())
    t_fit = time.perf_counter() - t

    t = time.perf_counter()
    fc = recursive(df, None, int(horizon), list(COVARIATES),
                   lambda X: model.predict(scaler.transform(design(X))))
    t_fc = time.perf_counter() - t
    assert len(fc) == df[KEY].nunique() * int(horizon)
    import resource
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"import {t_import:.2f} read {t_read:.2f} features {t_feat:.2f} "
          f"fit {t_fit:.2f} forecast {t_fc:.2f} rows {len(feat)} forecasts {len(fc)} rss_kb {rss}")
    return 0


def main(argv):
    cmds = {"naive": cmd_naive, "forest": cmd_forest, "check": cmd_check,
            "score": cmd_score, "speed": cmd_speed}
    if len(argv) < 2 or argv[1] not in cmds:
        sys.stderr.write(__doc__)
        return 2
    return cmds[argv[1]](*argv[2:]) or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
