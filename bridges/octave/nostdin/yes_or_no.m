## yes_or_no: reads the keyboard, which a bridge cell does not have (see statarb_no_stdin).
function varargout = yes_or_no (varargin)
  statarb_no_stdin ("yes_or_no");
endfunction
