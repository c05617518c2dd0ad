# statarb R bridge server (driven by bridges/r/session.ts).
#
# Frames (see bridges/core/frame.ts): u32 LE header length, JSON header, then binary blobs.
# Requests arrive on the FIFO named by the second argument (R's stdin is /dev/null); responses go to
# the FIFO named by the first, so anything the user's code prints on stdout/stderr cannot corrupt a frame. After each request the server writes
# the marker "\036SAB:<id>\036" on stdout and stderr so the TypeScript side knows where a call's
# output ends. Numbers travel as float64/int32 blobs (readBin/writeBin), never as text.
#
# Everything lives in the attached environment "statarb:bridge", away from the user's globalenv.

if (!requireNamespace("jsonlite", quietly = TRUE)) {
  cat("statarb R bridge: the R package jsonlite is missing; install the Debian package r-cran-jsonlite (bash scripts/setup)\n", file = stderr())
  quit(save = "no", status = 3)
}

local({
  bridge <- attach(NULL, name = "statarb:bridge")
  with_env <- function(f) { environment(f) <- bridge; f }

  # requests arrive on their own FIFO (second argument); R's stdin is /dev/null, so user code that
  # reads stdin (readLines(file("stdin")), scan(), readline()) sees end of file at once
  bridge$.out <- file(commandArgs(trailingOnly = TRUE)[[1]], "wb", raw = TRUE)
  bridge$.inp <- file(commandArgs(trailingOnly = TRUE)[[2]], "rb", raw = TRUE)

  # ---- no interactive input --------------------------------------------------------------
  # stdin is /dev/null, so a read would see end of file and the cell would go on with "" or
  # character(0). Code run in a cell finds these first on the search path (statarb:bridge comes
  # before package:base): reading stdin is an error that says why; any other file goes to base.
  bridge$no_stdin <- with_env(function(call) {
    stop(simpleError(paste0("interactive input is not supported in a bridge cell (R's stdin is empty); ",
      "pass values as variables instead: %%R -i x, %put x --to R, or RSession.put()"), call))
  })
  bridge$is_stdin <- with_env(function(con) {
    if (is.character(con)) return(length(con) == 1L && identical(con, "stdin"))
    inherits(con, "connection") && isTRUE(tryCatch(summary(con)$description == "stdin", error = function(e) FALSE))
  })
  bridge$readline <- with_env(function(prompt = "") no_stdin(sys.call()))
  bridge$readLines <- with_env(function(con = stdin(), ...) {
    if (is_stdin(con)) no_stdin(sys.call())
    base::readLines(con, ...)
  })
  bridge$scan <- with_env(function(file = "", ...) {
    if ((identical(file, "") && !("text" %in% ...names())) || is_stdin(file)) no_stdin(sys.call())
    if (missing(file)) base::scan(...) else base::scan(file, ...) # scan reads `text` only when file is missing
  })
  bridge$file <- with_env(function(description = "", ...) {
    if (identical(description, "stdin")) no_stdin(sys.call())
    base::file(description, ...)
  })

  # ---- reading ---------------------------------------------------------------------------
  bridge$read_header <- with_env(function() {
    hl <- readBin(.inp, "integer", 1L, size = 4L, endian = "little")
    if (length(hl) == 0L) quit(save = "no", status = 0)
    txt <- rawToChar(readBin(.inp, "raw", hl))
    Encoding(txt) <- "UTF-8"
    jsonlite::parse_json(txt, simplifyVector = FALSE)
  })

  bridge$chr_of <- with_env(function(v) {
    vapply(v, function(s) if (is.null(s)) NA_character_ else enc2native(as.character(s)), "")
  })

  # Decodes a wire node, reading its blobs from the request FIFO in depth-first order.
  bridge$decode <- with_env(function(n) {
    switch(n$t,
      null = NULL,
      na = NA,
      bool = isTRUE(n$v),
      str = enc2native(n$v),
      num = readBin(.inp, "double", 1L, endian = "little"),
      f64 = {
        x <- readBin(.inp, "double", n$n, endian = "little")
        if (!is.null(n$dim)) dim(x) <- c(n$dim[[1]], n$dim[[2]])
        x
      },
      i32 = readBin(.inp, "integer", n$n, size = 4L, endian = "little"),
      lgl = vapply(n$v, function(s) if (is.null(s)) NA else isTRUE(s), NA),
      strs = chr_of(n$v),
      list = {
        items <- lapply(n$v, decode)
        if (!is.null(n$names)) names(items) <- chr_of(n$names)
        items
      },
      panel = {
        nd <- n$n
        assets <- chr_of(n$assets)
        k <- length(assets)
        dates <- readBin(.inp, "integer", nd, size = 4L, endian = "little")
        d <- structure(as.numeric(dates), class = "Date")
        if (identical(n$as, "xts")) {
          x <- readBin(.inp, "double", nd * k, endian = "little")
          if (!requireNamespace("xts", quietly = TRUE)) stop("the R package xts is missing: install the Debian package r-cran-xts")
          xts::xts(matrix(x, nrow = nd, ncol = k, dimnames = list(NULL, assets)), order.by = d)
        } else {
          # one readBin per column: no 10 MB intermediate vector to split
          cols <- vector("list", k + 1L)
          cols[[1L]] <- d
          for (j in seq_len(k)) cols[[j + 1L]] <- readBin(.inp, "double", nd, endian = "little")
          names(cols) <- c("date", assets)
          attr(cols, "row.names") <- .set_row_names(nd)
          class(cols) <- "data.frame"
          cols
        }
      },
      stop(sprintf("statarb R bridge: unknown wire node type '%s'", n$t))
    )
  })

  # ---- writing ---------------------------------------------------------------------------
  # Encodes an R value as a wire node; binary payloads are appended to acc$blobs.
  bridge$encode <- with_env(function(x, acc) {
    blob <- function(v) {
      acc$blobs[[length(acc$blobs) + 1L]] <- v
      length(acc$blobs) - 1L
    }
    if (is.null(x)) return(list(t = "null"))
    if (inherits(x, "xts") || inherits(x, "zoo")) {
      idx <- zoo::index(x)
      m <- zoo::coredata(x)
      if (is.null(dim(m))) m <- matrix(m, ncol = 1L)
      storage.mode(m) <- "double"
      assets <- colnames(m)
      if (is.null(assets)) assets <- paste0("V", seq_len(ncol(m)))
      dates <- as.integer(floor(unclass(as.Date(idx))))
      return(list(t = "panel", d = blob(dates), b = blob(as.vector(m)), n = nrow(m), assets = I(enc2utf8(assets))))
    }
    if (is.data.frame(x)) {
      is_date <- vapply(x, function(c) inherits(c, c("Date", "POSIXct", "IDate")), NA)
      rest <- which(!is_date)
      if (any(is_date) && length(rest) > 0L && all(vapply(x[rest], is.numeric, NA))) {
        dc <- which(is_date)[[1L]]
        dates <- as.integer(floor(unclass(as.Date(x[[dc]]))))
        # a list of double columns is one blob written column by column (no unlist copy)
        vals <- lapply(unname(as.list(x)[rest]), function(c) if (is.double(c)) c else as.double(c))
        return(list(t = "panel", d = blob(dates), b = blob(vals), n = nrow(x), assets = I(enc2utf8(names(x)[rest]))))
      }
      return(encode(as.list(x), acc))
    }
    if (is.factor(x)) x <- as.character(x)
    if (inherits(x, c("Date", "POSIXct"))) x <- format(x)
    if (is.list(x)) {
      nm <- names(x)
      node <- list(t = "list", v = lapply(unname(x), encode, acc = acc))
      if (!is.null(nm)) node$names <- I(enc2utf8(nm))
      return(node)
    }
    if (is.atomic(x) && !is.null(names(x)) && is.null(dim(x))) {
      return(encode(as.list(x), acc))
    }
    if (is.logical(x)) {
      if (length(x) == 1L && is.null(dim(x))) return(if (is.na(x)) list(t = "na") else list(t = "bool", v = x))
      return(list(t = "lgl", v = I(as.vector(x))))
    }
    if (is.character(x)) {
      if (length(x) == 1L && is.null(dim(x)) && !is.na(x)) return(list(t = "str", v = enc2utf8(x)))
      return(list(t = "strs", v = I(enc2utf8(as.vector(x)))))
    }
    if (is.integer(x) && is.null(dim(x))) {
      if (length(x) == 1L && !is.na(x)) return(list(t = "num", b = blob(as.double(x))))
      return(list(t = "i32", b = blob(as.vector(x)), n = length(x)))
    }
    if (is.numeric(x) && !is.complex(x)) {
      d <- dim(x)
      if (length(d) == 2L) return(list(t = "f64", b = blob(as.double(as.vector(x))), n = length(x), dim = I(as.integer(d))))
      if (length(x) == 1L && is.null(d)) return(list(t = "num", b = blob(as.double(x))))
      return(list(t = "f64", b = blob(as.double(as.vector(x))), n = length(x)))
    }
    list(t = "unsupported", class = paste(class(x), collapse = "/"))
  })

  bridge$write_frame <- with_env(function(header, blobs = list()) {
    sizes <- vapply(blobs, function(b) if (is.list(b)) 8 * sum(lengths(b)) else if (is.integer(b)) 4 * length(b) else 8 * length(b), 0)
    header$blobs <- I(sizes)
    js <- charToRaw(enc2utf8(as.character(jsonlite::toJSON(header, auto_unbox = TRUE, null = "null", na = "null", digits = NA))))
    writeBin(length(js), .out, size = 4L, endian = "little")
    writeBin(js, .out)
    for (b in blobs) {
      if (is.list(b)) for (col in b) writeBin(col, .out, endian = "little")
      else if (is.integer(b)) writeBin(b, .out, size = 4L, endian = "little") else writeBin(b, .out, endian = "little")
    }
    flush(.out)
  })

  # A cell that calls sink() and does not undo it would swallow the end markers (and every later
  # output): after each request, close the output sinks it left and give messages back to stderr.
  bridge$restore_sinks <- with_env(function() {
    n <- sink.number()
    if (n > 0L) for (i in seq_len(n)) sink()
    msg <- sink.number(type = "message") != 2L
    if (msg) sink(type = "message")
    if (n > 0L || msg) {
      cat(sprintf("statarb: the code left %s open; closed it after the call\n",
        paste(c(if (n > 0L) sprintf("%d output sink()", n), if (msg) "a message sink()"), collapse = " and ")), file = stderr())
    }
  })

  bridge$end_markers <- with_env(function(id) {
    m <- paste0("\036SAB:", id, "\036")
    cat(m)
    flush(stdout())
    cat(m, file = stderr())
    flush(stderr())
  })

  bridge$error_text <- with_env(function(e) {
    msg <- conditionMessage(e)
    cl <- conditionCall(e)
    if (is.null(cl) || identical(cl, quote(eval(expr, globalenv())))) return(paste0("Error: ", msg))
    paste0("Error in ", paste(deparse(cl, nlines = 1L), collapse = ""), " : ", msg)
  })

  # Runs fn() with warnings printed on stderr as they happen and R errors / interrupts turned into
  # error responses. Returns list(header, blobs).
  bridge$guarded <- with_env(function(id, fn) {
    tryCatch(
      withCallingHandlers(fn(), warning = function(w) {
        cl <- conditionCall(w)
        where <- if (is.null(cl) || identical(cl, quote(eval(expr, globalenv())))) "" else paste0("In ", paste(deparse(cl, nlines = 1L), collapse = ""), " : ")
        cat("Warning message:\n", where, conditionMessage(w), "\n", sep = "", file = stderr())
        invokeRestart("muffleWarning")
      }),
      error = function(e) list(list(id = id, ok = FALSE, error = list(message = error_text(e), kind = class(e)[[1L]])), list()),
      interrupt = function(i) list(list(id = id, ok = FALSE, error = list(message = "interrupted", kind = "interrupt", interrupted = TRUE)), list())
    )
  })

  bridge$ok <- with_env(function(id, value, extra = list()) {
    acc <- new.env()
    acc$blobs <- list()
    node <- encode(value, acc)
    list(c(list(id = id, ok = TRUE, value = node), extra), acc$blobs)
  })

  # ---- tables: the head of a data.frame or matrix, for the notebook ------------------------
  bridge$is_table <- with_env(function(x) {
    (is.data.frame(x) || (is.matrix(x) && length(dim(x)) == 2L)) && !inherits(x, c("xts", "zoo"))
  })

  # One column (its first rows) as a wire node: numbers as blobs, the rest as text in the header.
  bridge$table_column <- with_env(function(v, acc) {
    blob <- function(b) {
      acc$blobs[[length(acc$blobs) + 1L]] <- b
      length(acc$blobs) - 1L
    }
    if (is.factor(v)) v <- as.character(v)
    if (is.logical(v) && !is.object(v)) return(list(t = "lgl", v = I(as.vector(v))))
    if (is.integer(v) && !is.object(v)) return(list(t = "i32", b = blob(as.vector(v)), n = length(v)))
    if (is.double(v) && !is.object(v)) return(list(t = "f64", b = blob(as.vector(v)), n = length(v)))
    if (is.character(v)) return(list(t = "strs", v = I(enc2utf8(as.vector(v)))))
    # dates, times, complex, list columns, other classes: as R formats them
    txt <- if (is.list(v)) vapply(v, function(e) paste(format(e), collapse = ", "), "") else format(v)
    list(t = "strs", v = I(enc2utf8(as.character(txt))))
  })

  bridge$ok_table <- with_env(function(id, x, opts) {
    acc <- new.env()
    acc$blobs <- list()
    df <- is.data.frame(x)
    nr <- nrow(x)
    nc <- ncol(x)
    rows <- seq_len(min(nr, as.integer(opts$maxRows)))
    cols <- seq_len(min(nc, as.integer(opts$maxCols)))
    rn <- rownames(x)
    if (df && identical(rn, as.character(seq_len(nr)))) rn <- NULL # automatic row names: 1…n
    cn <- colnames(x)
    node <- list(t = "table", kind = if (df) "data.frame" else "matrix", nrow = nr, ncol = nc,
      rownames = if (is.null(rn)) NULL else I(enc2utf8(as.character(rn[rows]))),
      colnames = if (is.null(cn)) NULL else I(enc2utf8(as.character(cn[cols]))),
      cols = lapply(cols, function(j) table_column(if (df) x[[j]][rows] else x[rows, j], acc)))
    list(list(id = id, ok = TRUE, value = list(t = "null"), table = node), acc$blobs)
  })

  bridge$do_eval <- with_env(function(id, req) {
    exprs <- tryCatch(parse(text = req$code, keep.source = FALSE), error = function(e) e)
    if (inherits(exprs, "error")) {
      return(list(list(id = id, ok = FALSE, error = list(message = paste0("Error: ", conditionMessage(exprs)), kind = "parseError")), list()))
    }
    plots <- req$plots
    prefix <- NULL
    if (!is.null(plots)) {
      prefix <- sprintf("statarb-%d-%s", id, format(Sys.time(), "%H%M%OS3"))
      prefix <- gsub("[^A-Za-z0-9-]", "", prefix)
      if (identical(plots$format, "svg")) {
        grDevices::svg(file.path(plots$dir, paste0(prefix, "-%03d.svg")), width = plots$width / 72, height = plots$height / 72, onefile = FALSE)
      } else {
        grDevices::png(file.path(plots$dir, paste0(prefix, "-%03d.png")), width = plots$width, height = plots$height, type = "cairo")
      }
    }
    res <- guarded(id, function() {
      value <- NULL
      n <- length(exprs)
      for (i in seq_len(n)) {
        expr <- exprs[[i]] # named expr: error_text recognises the call eval(expr, globalenv())
        r <- withVisible(eval(expr, globalenv()))
        # the last top-level value, visible, table-like: sent as a table instead of printed
        if (i == n && !is.null(req$table) && r$visible && is_table(r$value)) return(ok_table(id, r$value, req$table))
        if (isTRUE(req$echo) && r$visible) print(r$value)
        value <- r$value
      }
      ok(id, if (is.null(value)) NULL else value)
    })
    if (!is.null(prefix)) {
      while (!is.null(grDevices::dev.list())) grDevices::dev.off()
      files <- list.files(plots$dir, pattern = paste0("^", prefix), full.names = TRUE)
      files <- files[file.size(files) > 0]
      if (isTRUE(res[[1]]$ok)) res[[1]]$plots <- I(files)
    }
    res
  })

  bridge$dispatch <- with_env(function(req) {
    id <- req$id
    switch(req$op,
      eval = do_eval(id, req),
      put = {
        value <- req$.payload[[1L]]
        guarded(id, function() {
          assign(req$name, value, envir = globalenv())
          list(list(id = id, ok = TRUE), list())
        })
      },
      get = guarded(id, function() ok(id, get(req$name, envir = globalenv()))),
      call = {
        args <- req$.payload[[1L]]
        guarded(id, function() ok(id, do.call(get(req$fn, envir = globalenv(), mode = "function"), args, envir = globalenv())))
      },
      load = guarded(id, function() {
        sys.source(req$path, envir = bridge, keep.source = FALSE)
        list(list(id = id, ok = TRUE), list())
      }),
      quit = {
        close(.out)
        quit(save = "no", status = 0)
      },
      list(list(id = id, ok = FALSE, error = list(message = paste0("statarb R bridge: unknown op '", req$op, "'"))), list())
    )
  })

  bridge$serve <- with_env(function() {
    write_frame(list(op = "hello", id = 0L, version = R.version.string))
    st <- new.env()
    repeat {
      # a request and its binary payload are read with interrupts held back, so an interrupt can never
      # leave half a frame in the FIFO; one that arrived meanwhile (a late one, meant for the call before,
      # or this call's own) surfaces at Sys.sleep(0), and the request is answered as not run: the session
      # sends it again, or reports it interrupted when the interrupt was its own
      st$req <- NULL
      interrupted <- FALSE
      tryCatch({
        suspendInterrupts({
          r <- read_header()
          node <- if (identical(r$op, "put")) r$value else if (identical(r$op, "call")) r$args else NULL
          r$.payload <- list(if (is.null(node)) NULL else decode(node))
          st$req <- r
        })
        Sys.sleep(0)
      }, interrupt = function(i) interrupted <<- TRUE)
      req <- st$req
      if (is.null(req)) next
      if (interrupted) {
        end_markers(req$id)
        write_frame(list(id = req$id, ok = FALSE, error = list(message = "interrupted", kind = "interrupt", interrupted = TRUE, notRun = TRUE)))
        next
      }
      res <- tryCatch(dispatch(req), interrupt = function(i) {
        list(list(id = req$id, ok = FALSE, error = list(message = "interrupted", kind = "interrupt", interrupted = TRUE)), list())
      }, error = function(e) {
        list(list(id = req$id, ok = FALSE, error = list(message = error_text(e), kind = class(e)[[1L]])), list())
      })
      restore_sinks()
      end_markers(req$id)
      resp <- tryCatch({
        write_frame(res[[1]], res[[2]])
        NULL
      }, error = function(e) e)
      if (inherits(resp, "error")) {
        write_frame(list(id = req$id, ok = FALSE, error = list(message = paste0("statarb R bridge: could not send the result: ", conditionMessage(resp)))))
      }
    }
  })
})

options(warn = 1)
serve()
