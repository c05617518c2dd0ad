## statarb_table_state (op, x, name): whether the running %%octave cell shows its last matrix as a table.
##   "start"        a cell that asks for tables starts; "stop" it ends: returns the last matrix displayed
##                  as struct (seq, name, value) (seq 0: none)
##   "capture"      x is being displayed: returns its number (> 0) when it is remembered, else 0
function out = statarb_table_state (op, x, name)
  persistent on seq last;
  if (isempty (on))
    on = false;
    seq = 0;
    last = struct ("seq", 0, "name", "", "value", []);
  endif
  out = 0;
  switch (op)
    case "start"
      on = true;
      seq = 0;
      last = struct ("seq", 0, "name", "", "value", []);
    case "stop"
      out = last;
      on = false;
      last = struct ("seq", 0, "name", "", "value", []);
    case "capture"
      if (on && ndims (x) == 2 && rows (x) >= 2 && columns (x) >= 2 && (isnumeric (x) || islogical (x)) && isreal (x) && ! issparse (x))
        seq += 1;
        last.seq = seq;
        last.name = name;
        last.value = x;
        out = seq;
      endif
  endswitch
endfunction
