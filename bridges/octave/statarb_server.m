## statarb Octave bridge server (driven by bridges/octave/session.ts).
##
## Frames (bridges/core/frame.ts): u32 LE header length, JSON header, binary blobs. Requests come on
## their own FIFO (Octave's stdin is /dev/null), responses go to another FIFO, so user output on stdout
## cannot corrupt a frame and user code cannot read protocol bytes. After each request
## "\036SAB:<id>\036" is written on stdout and stderr to close the call's output. Numbers travel as
## float64/int32 blobs (fread/fwrite). Functions that read the keyboard or stdin (input, keyboard,
## fgetl(stdin), ...) are shadowed by bridges/octave/nostdin/ with a clear error.
##
## Interrupts: Octave runs with -i so that SIGINT unwinds (an interrupt_exception) instead of ending the
## process. try/catch does not catch it, but unwind_protect_cleanup runs: there the server answers the
## call as interrupted and enters a fresh serve loop, nested one level deeper (the base workspace is
## untouched). After MAX_NESTING interrupts the server exits and the session restarts, saying so. An
## interrupt that lands while no call runs (waiting for or reading a request) asks the session to resync.
##
## NA: Octave's NA and R's NA_real_ are different NaN payloads; blobs carry R's (low word 1954), and
## this server maps them both ways so isna() holds in Octave for an R/TS NA.
function statarb_server (fifo_path, requests_path)
  out = fopen (fifo_path, "w");
  if (out < 0)
    error ("statarb Octave bridge: cannot open the response FIFO %s", fifo_path);
  endif
  inp = fopen (requests_path, "r");
  if (inp < 0)
    error ("statarb Octave bridge: cannot open the request FIFO %s", requests_path);
  endif
  write_frame (out, struct ("op", "hello", "id", 0, "version", OCTAVE_VERSION ()), {});
  serve (out, inp, 0);
endfunction

function serve (out, inp, depth)
  MAX_NESTING = 100;
  id = 0;
  busy = false;
  done = false;
  unwind_protect
    while (true)
      id = 0;
      busy = false;
      done = false;
      hl = fread (inp, 1, "uint32=>double", 0, "ieee-le");
      if (isempty (hl))
        exit (0);
      endif
      req = jsondecode (char (fread (inp, [1, hl], "uint8=>uint8", 0, "ieee-le")));
      id = req.id;
      ## the whole binary payload is read before any work, then decoded from memory
      total = 0;
      if (isfield (req, "blobs") && ! isempty (req.blobs))
        total = sum (req.blobs);
      endif
      buf = fread (inp, total, "uint8=>uint8");
      busy = true;
      try
        [hdr, blobs] = dispatch (req, buf);
      catch err
        hdr = error_header (id, err);
        blobs = {};
      end_try_catch
      end_markers (id);
      write_frame (out, hdr, blobs);
      done = true;
    endwhile
  unwind_protect_cleanup
    ## only an interrupt (SIGINT) gets here: errors are caught per request and exit() skips cleanups
    if (busy && ! done)
      end_markers (id);
      write_frame (out, struct ("id", id, "ok", false, "error", struct ("message", "interrupted", "kind", "interrupt", "interrupted", true)), {});
    elseif (! busy)
      ## interrupted while waiting for or reading a request (a SIGINT that landed as a call ended): how
      ## much of a request was read is unknown. The session writes a token after what it sent, then sends
      ## the request again (or answers it as interrupted); skip to the token.
      write_frame (out, struct ("op", "resync", "id", id), {});
      skip_to_resync_token (inp);
    endif
    if (depth >= MAX_NESTING)
      fputs (stderr, sprintf ("statarb Octave bridge: interrupted %d times; restarting the session\n", depth + 1));
      exit (2);
    endif
    serve (out, inp, depth + 1);
  end_unwind_protect
endfunction

## Reads the request FIFO up to and including RESYNC_TOKEN of bridges/core/session.ts.
function skip_to_resync_token (inp)
  token = uint8 ([30, double("statarb-resync"), 30]);
  win = zeros (1, numel (token), "uint8");
  while (true)
    b = fread (inp, 1, "uint8=>uint8");
    if (isempty (b))
      exit (0);
    endif
    win = [win(2:end), b];
    if (isequal (win, token))
      return;
    endif
  endwhile
endfunction

function [hdr, blobs] = dispatch (req, buf)
  id = req.id;
  blobs = {};
  switch (req.op)
    case "eval"
      evalin ("base", "clear ans;");
      tables = isfield (req, "table") && ! isempty (req.table);
      if (tables)
        statarb_table_state ("start");
      else
        statarb_table_state ("stop");
      endif
      plots = [];
      if (isfield (req, "plots") && ! isempty (req.plots))
        plots = req.plots;
        close all;
      endif
      try
        evalin ("base", req.code);
      catch err
        statarb_table_state ("stop");
        hdr = error_header (id, err);
        if (! isempty (plots))
          close all;
        endif
        return;
      end_try_catch
      ## the value is `ans`, or the variable itself when the code is a bare name (Octave sets no ans then)
      value = [];
      has_value = true;
      bare = regexp (req.code, '^\s*([A-Za-z]\w*)\s*;?\s*$', "tokens", "once");
      try
        value = evalin ("base", "ans");
      catch
        has_value = false;
      end_try_catch
      if (! has_value && ! isempty (bare))
        try
          value = evalin ("base", bare{1});
          has_value = true;
        catch
        end_try_catch
      endif
      files = {};
      if (! isempty (plots))
        files = print_figures (id, plots);
      endif
      if (has_value)
        [node, blobs] = encode_value (value, {});
      else
        node = struct ("t", "unsupported", "class", "none");
      endif
      hdr = struct ("id", id, "ok", true, "value", node);
      hdr.plots = files;
      if (tables)
        last = statarb_table_state ("stop");
        if (last.seq > 0)
          [hdr.table, blobs] = table_node (last, req.table, blobs);
        endif
      endif
    case "put"
      value = decode_node (req.value, buf, 0);
      assignin ("base", req.name, value);
      hdr = struct ("id", id, "ok", true);
    case "get"
      try
        value = evalin ("base", req.name);
      catch
        error ("Octave:undefined-function", "'%s' undefined", req.name);
      end_try_catch
      [node, blobs] = encode_value (value, {});
      hdr = struct ("id", id, "ok", true, "value", node);
    case "call"
      args = decode_node (req.args, buf, 0);
      if (isstruct (args))
        args = {args};
      endif
      value = feval (req.fn, args{:});
      [node, blobs] = encode_value (value, {});
      hdr = struct ("id", id, "ok", true, "value", node);
    case "quit"
      exit (0);
    otherwise
      error ("statarb Octave bridge: unknown op '%s'", req.op);
  endswitch
endfunction

## The head of the last matrix a cell displayed (see statarb_display), as a table node: one float64
## blob per column (NA as R's NA), the whole size in nrow / ncol, seq naming the display it replaces.
function [node, blobs] = table_node (last, opts, blobs)
  x = last.value;
  r = min (rows (x), opts.maxRows);
  c = min (columns (x), opts.maxCols);
  cols = cell (1, c);
  for j = 1:c
    blobs{end + 1} = f64_blob (double (x(1:r, j)));
    cols{j} = struct ("t", "f64", "b", numel (blobs) - 1, "n", r);
  endfor
  node = struct ("t", "table", "kind", "matrix", "name", last.name, "nrow", rows (x), "ncol", columns (x), "seq", last.seq);
  node.cols = cols;
endfunction

function files = print_figures (id, plots)
  files = {};
  figs = sort (get (0, "children"));
  ext = plots.format;
  for k = 1:numel (figs)
    f = fullfile (plots.dir, sprintf ("statarb-%d-%03d.%s", id, k, ext));
    set (figs(k), "paperunits", "inches", "paperposition", [0, 0, plots.width / 72, plots.height / 72]);
    print (figs(k), f, ["-d", ext]);
    files{end + 1} = f;
  endfor
  close all;
endfunction

function hdr = error_header (id, err)
  msg = err.message;
  detail = "";
  if (isfield (err, "stack") && ! isempty (err.stack))
    s = err.stack(1);
    detail = sprintf ("%s line %d", s.name, s.line);
  endif
  hdr = struct ("id", id, "ok", false, "error", struct ("message", ["error: ", msg], "kind", err.identifier, "detail", detail));
endfunction

function end_markers (id)
  m = sprintf ("\036SAB:%d\036", id);
  fputs (stdout, m);
  fflush (stdout);
  fputs (stderr, m);
  fflush (stderr);
endfunction

function write_frame (out, hdr, blobs)
  sizes = zeros (1, numel (blobs));
  for k = 1:numel (blobs)
    b = blobs{k};
    if (isa (b, "int32"))
      sizes(k) = 4 * numel (b);
    else
      sizes(k) = 8 * numel (b);
    endif
  endfor
  hdr.blobs = num2cell (sizes);
  js = uint8 (jsonencode (hdr));
  fwrite (out, numel (js), "uint32", 0, "ieee-le");
  fwrite (out, js, "uint8");
  for k = 1:numel (blobs)
    b = blobs{k};
    if (isa (b, "int32"))
      fwrite (out, b, "int32", 0, "ieee-le");
    else
      fwrite (out, b, "double", 0, "ieee-le");
    endif
  endfor
  fflush (out);
endfunction

function c = as_cell (v)
  if (iscell (v))
    c = v(:)';
  elseif (isstruct (v))
    c = num2cell (v(:)');
  elseif (isempty (v))
    c = {};
  else
    c = num2cell (v(:)');
  endif
endfunction

function [x, pos] = read_f64 (buf, pos, n)
  x = typecast (buf(pos + 1:pos + 8 * n), "double");
  x = x(:);
  pos += 8 * n;
  m = isnan (x);
  if (any (m))
    w = typecast (x(m), "uint32");
    idx = find (m);
    x(idx(w(1:2:end) == 1954)) = NA;
  endif
endfunction

## Decodes a wire node; its blobs are read from buf (the request's payload) from byte pos on.
function [v, pos] = decode_node (n, buf, pos)
  switch (n.t)
    case "null"
      v = [];
    case "na"
      v = NA;
    case "bool"
      v = logical (n.v);
    case "str"
      v = n.v;
    case "num"
      [v, pos] = read_f64 (buf, pos, 1);
    case "f64"
      [v, pos] = read_f64 (buf, pos, n.n);
      if (isfield (n, "dim"))
        v = reshape (v, n.dim(1), n.dim(2));
      endif
    case "i32"
      v = typecast (buf(pos + 1:pos + 4 * n.n), "int32")(:);
      pos += 4 * n.n;
    case "lgl"
      c = as_cell (n.v);
      v = false (numel (c), 1);
      for k = 1:numel (c)
        v(k) = ! isempty (c{k}) && c{k};
      endfor
    case "strs"
      ## a missing string (null, R's NA_character_) becomes NA in the cell, never ""
      c = as_cell (n.v);
      for k = 1:numel (c)
        if (isempty (c{k}) && ! ischar (c{k}))
          c{k} = NA;
        endif
      endfor
      v = c;
    case "list"
      items = as_cell (n.v);
      vals = cell (1, numel (items));
      for k = 1:numel (items)
        [vals{k}, pos] = decode_node (items{k}, buf, pos);
      endfor
      if (isfield (n, "names"))
        names = as_cell (n.names);
        v = struct ();
        for k = 1:numel (names)
          v.(names{k}) = vals{k};
        endfor
      else
        v = vals;
      endif
    case "panel"
      nd = n.n;
      assets = as_cell (n.assets);
      dates = double (typecast (buf(pos + 1:pos + 4 * nd), "int32")(:));
      pos += 4 * nd;
      [values, pos] = read_f64 (buf, pos, nd * numel (assets));
      v = struct ("dates", dates + 719529, "values", reshape (values, nd, numel (assets)));
      v.assets = assets;
    otherwise
      error ("statarb Octave bridge: unknown wire node type '%s'", n.t);
  endswitch
endfunction

function b = f64_blob (x)
  b = double (x(:));
  m = isna (b);
  if (any (m))
    b(m) = typecast (uint32 ([1954, 2146435072]), "double");
  endif
endfunction

function [node, blobs] = encode_value (x, blobs)
  if (isstruct (x) && isscalar (x) && all (isfield (x, {"dates", "assets", "values"})))
    nd = size (x.values, 1);
    blobs{end + 1} = int32 (round (x.dates(:) - 719529));
    d = numel (blobs) - 1;
    blobs{end + 1} = f64_blob (x.values);
    assets = x.assets;
    if (ischar (assets))
      assets = cellstr (assets);
    endif
    node = struct ("t", "panel", "d", d, "b", numel (blobs) - 1, "n", nd);
    node.assets = assets(:)';
  elseif (isstruct (x) && isscalar (x))
    names = fieldnames (x)';
    items = cell (1, numel (names));
    for k = 1:numel (names)
      [items{k}, blobs] = encode_value (x.(names{k}), blobs);
    endfor
    node = struct ("t", "list");
    node.v = items;
    node.names = names;
  elseif (isnumeric (x) && ! isreal (x))
    error ("statarb:complex", "statarb Octave bridge: cannot move a complex value (%s %s) to TypeScript: the bridge carries real numbers only; move real(x) and imag(x) separately", mat2str (size (x)), class (x));
  elseif (is_str_cell_with_na (x))
    ## strings with missing entries (NA): null on the wire, so they come back as null, not ""
    node = struct ("t", "strs");
    v = x(:)';
    for k = 1:numel (v)
      if (! ischar (v{k}))
        v{k} = NaN;
      endif
    endfor
    node.v = v;
  elseif (iscellstr (x) && ! isempty (x))
    node = struct ("t", "strs");
    node.v = x(:)';
  elseif (iscell (x))
    items = cell (1, numel (x));
    for k = 1:numel (x)
      [items{k}, blobs] = encode_value (x{k}, blobs);
    endfor
    node = struct ("t", "list");
    node.v = items;
  elseif (ischar (x))
    if (rows (x) <= 1)
      node = struct ("t", "str", "v", x);
    else
      node = struct ("t", "strs");
      node.v = cellstr (x)';
    endif
  elseif (islogical (x))
    if (isscalar (x))
      node = struct ("t", "bool", "v", x);
    else
      node = struct ("t", "lgl");
      node.v = num2cell (x(:)');
    endif
  elseif (isinteger (x))
    if (isscalar (x))
      blobs{end + 1} = double (x);
      node = struct ("t", "num", "b", numel (blobs) - 1);
    else
      blobs{end + 1} = int32 (x(:));
      node = struct ("t", "i32", "b", numel (blobs) - 1, "n", numel (x));
    endif
  elseif (isnumeric (x) && isreal (x))
    if (isempty (x) && all (size (x) == 0))
      node = struct ("t", "null");
    elseif (isscalar (x) && isna (x))
      node = struct ("t", "na");
    elseif (isscalar (x))
      blobs{end + 1} = f64_blob (x);
      node = struct ("t", "num", "b", numel (blobs) - 1);
    elseif (isvector (x))
      blobs{end + 1} = f64_blob (x);
      node = struct ("t", "f64", "b", numel (blobs) - 1, "n", numel (x));
    elseif (ndims (x) == 2)
      blobs{end + 1} = f64_blob (x);
      node = struct ("t", "f64", "b", numel (blobs) - 1, "n", numel (x));
      node.dim = num2cell (size (x));
    else
      node = struct ("t", "unsupported", "class", sprintf ("%d-d array", ndims (x)));
    endif
  else
    node = struct ("t", "unsupported", "class", class (x));
  endif
endfunction

## A cell of character rows and scalar NAs with at least one of each (strings with missing entries).
function tf = is_str_cell_with_na (x)
  tf = false;
  if (! iscell (x) || isempty (x))
    return;
  endif
  is_str = cellfun (@(e) ischar (e) && rows (e) <= 1, x);
  is_na = cellfun (@(e) isnumeric (e) && isscalar (e) && isna (e), x);
  tf = all (is_str | is_na) && any (is_str) && any (is_na);
endfunction
