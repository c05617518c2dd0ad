# Extracts one dataset from an unpacked Debian r-cran-* package (dpkg -x) with base R only, so the
# package's own R dependencies (timeDate, zoo, …) need not be installed, and writes it as a CSV
# with header `date,<columns>` and ISO dates (huge-stockdata: see its branch).
# Usage: Rscript extract-r.R <unpacked root> <dataset name> <output csv>
args <- commandArgs(trailingOnly = TRUE)
root <- args[[1]]; name <- args[[2]]; out <- args[[3]]
lib <- file.path(root, "usr", "lib", "R", "site-library")

lazy <- function(pkg) { e <- new.env(); lazyLoad(file.path(lib, pkg, "data", "Rdata"), envir = e); e }
write_panel <- function(dates, m) {
  df <- data.frame(date = format(as.Date(dates), "%Y-%m-%d"), m, check.names = FALSE)
  utils::write.csv(df, out, row.names = FALSE, na = "", quote = FALSE)
}

if (name == "dowjones30") {
  d <- get("DowJones30", lazy("fBasics"))
  dates <- as.Date(as.character(d[[1]]))
  write_panel(dates, as.matrix(d[, -1]))
} else if (name == "sp2001") {
  z <- get("SP2001", lazy("strucchange"))
  idx <- attr(z, "index")
  m <- unclass(z); attributes(m) <- attributes(m)[c("dim", "dimnames")]
  write_panel(as.Date(idx), m)
} else if (name == "gmm-finance") {
  e <- new.env(); load(file.path(lib, "gmm", "data", "Finance.rda"), envir = e)
  d <- get("Finance", e)
  write_panel(as.Date(rownames(d)), as.matrix(d))
} else if (name == "huge-stockdata") {
  # huge::stockdata for the cross-check of sp500-2003-2007: the values as raw little-endian doubles
  # (column-major, exact) in <out>.data.bin and the info columns (ticker, sector, name) as JSON.
  e <- new.env(); load(file.path(lib, "huge", "data", "stockdata.rda"), envir = e)
  s <- get("stockdata", e)
  writeBin(as.vector(s$data), paste0(out, ".data.bin"), size = 8, endian = "little")
  info <- unname(as.matrix(s$info))
  jsonlite::write_json(list(info[, 1], info[, 2], info[, 3]), paste0(out, ".info.json"), digits = NA)
} else {
  stop(sprintf("extract-r.R: unknown dataset '%s'", name))
}
