## fgetl: on stdin (fid 0) an error saying a bridge cell has no interactive input; other files as usual.
function varargout = fgetl (fid, varargin)
  if (isnumeric (fid) && isscalar (fid) && fid == 0)
    statarb_no_stdin ("fgetl (stdin)");
  endif
  varargout = cell (1, max (1, nargout));
  [varargout{:}] = builtin ("fgetl", fid, varargin{:});
endfunction
