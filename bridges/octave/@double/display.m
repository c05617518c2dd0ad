## display: Octave's own display of this class, through statarb_display (which marks a matrix that a
## %%octave cell may show as a table instead).
function display (x)
  name = "";
  try
    name = inputname (1, false);
  catch
  end_try_catch
  statarb_display (x, name);
endfunction
