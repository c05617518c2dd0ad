## fskipl: on stdin (fid 0) an error saying a bridge cell has no interactive input; other files as usual.
function varargout = fskipl (fid, varargin)
  if (isnumeric (fid) && isscalar (fid) && fid == 0)
    statarb_no_stdin ("fskipl (stdin)");
  endif
  varargout = cell (1, max (1, nargout));
  [varargout{:}] = builtin ("fskipl", fid, varargin{:});
endfunction
