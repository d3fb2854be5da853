;;; e2e.el --- headless Emacs + eglot test of iam-policy-lsp  -*- lexical-binding: t -*-

;; Run by editors/emacs/test/run.sh as
;;   emacs --batch -l editors/emacs/iam-policy-lsp.el -l editors/emacs/test/e2e.el
;; i.e. after the very snippet file the README tells users to load.  Checks against the real
;; server: non-policy JSON left alone; policies by content get `iam-policy-json-mode' + eglot;
;; `invalid-effect' exactly on "Alow" (LSP range in UTF-16, which eglot 1.9 uses, and the buffer
;; text flymake marks), also after emoji + CJK on the same line; completion in "Effect": ""
;; through eglot's completion-at-point function offers Allow and Deny.  Writes a JSON report to
;; $IAM_TEST_OUT; exit code 0 = pass.

(require 'json)
(require 'cl-lib)
(require 'subr-x)

(defvar iam-test-ws (getenv "IAM_TEST_WS"))
(defvar iam-test-timeout (/ (string-to-number (or (getenv "IAM_TEST_WAIT_MS") "10000")) 1000.0))
(defvar iam-test-expected
  (let ((json-object-type 'alist) (json-array-type 'list) (json-key-type 'string))
    (json-read-file (getenv "IAM_TEST_EXPECTED"))))
(defvar iam-test-code (cdr (assoc "code" iam-test-expected)))
(defvar iam-test-checks nil)
(defvar iam-test-t0 (float-time))

(defun iam-test-ms () (round (* 1000 (- (float-time) iam-test-t0))))

(defun iam-test-check (ok what &optional detail)
  (push `((ok . ,(if ok t :json-false)) (what . ,what) (detail . ,(format "%S" detail)) (ms . ,(iam-test-ms)))
        iam-test-checks)
  (unless ok (error "FAILED: %s: %S" what detail)))

(defun iam-test-wait (what pred)
  "Poll PRED (calling `flymake-start' and reading process output) until non-nil or the deadline."
  (let ((deadline (+ (float-time) iam-test-timeout)) result)
    (while (and (not (setq result (funcall pred))) (< (float-time) deadline))
      (when (bound-and-true-p flymake-mode) (flymake-start))
      (accept-process-output nil 0.02))
    (or result (error "timed out after %.1f s waiting for %s" iam-test-timeout what))))

(defun iam-test-open (name)
  (find-file (expand-file-name name iam-test-ws))
  ;; A user's command ends here: post-command-hook is where `eglot-ensure' connects.
  (run-hooks 'post-command-hook)
  (current-buffer))

(defun iam-test-effect-diags ()
  (cl-remove-if-not
   (lambda (d) (equal (plist-get (alist-get 'eglot-lsp-diag (flymake-diagnostic-data d)) :code)
                      iam-test-code))
   (flymake-diagnostics)))

(defun iam-test-file (name key)
  (cdr (assoc key (cdr (assoc name (cdr (assoc "files" iam-test-expected)))))))

(defun iam-test-check-effect (name)
  (iam-test-wait (format "a %s diagnostic in %s" iam-test-code name) #'iam-test-effect-diags)
  (let* ((diags (iam-test-effect-diags))
         (d (car diags))
         (lsp (alist-get 'eglot-lsp-diag (flymake-diagnostic-data d)))
         (range (plist-get lsp :range))
         (start (plist-get range :start)) (end (plist-get range :end))
         (line (iam-test-file name "line"))
         (cols (iam-test-file name "utf-16")))
    (iam-test-check (= (length diags) 1) (format "%s: exactly one %s diagnostic" name iam-test-code)
                    (mapcar #'flymake-diagnostic-text diags))
    (iam-test-check (equal (plist-get lsp :source) (cdr (assoc "source" iam-test-expected)))
                    (format "%s: source is iam-policy-lsp" name) (plist-get lsp :source))
    (iam-test-check (and (= (plist-get start :line) line) (= (plist-get end :line) line)
                         (= (plist-get start :character) (nth 0 cols))
                         (= (plist-get end :character) (nth 1 cols)))
                    (format "%s: LSP range is line %d, utf-16 columns %d-%d" name line (nth 0 cols) (nth 1 cols))
                    range)
    (let ((text (buffer-substring-no-properties (flymake-diagnostic-beg d) (flymake-diagnostic-end d))))
      (iam-test-check (and (equal text "\"Alow\"")
                           (= (line-number-at-pos (flymake-diagnostic-beg d)) (1+ line)))
                      (format "%s: flymake marks \"Alow\" with its quotes on line %d" name (1+ line))
                      (list text (line-number-at-pos (flymake-diagnostic-beg d)))))
    d))

(defun iam-test-completion-labels ()
  "Labels of the items eglot's completion-at-point function offers at point."
  (let* ((capf (eglot-completion-at-point))
         (table (nth 2 capf)))
    (mapcar (lambda (proxy)
              (substring-no-properties (plist-get (get-text-property 0 'eglot--lsp-item proxy) :label)))
            (all-completions "" table))))

(defvar iam-test-report nil)

(let ((ok nil) (err nil) server)
  (condition-case e
      (progn
        ;; 1. Not a policy: plain JSON mode, no server.
        (with-current-buffer (iam-test-open "package.json")
          (iam-test-check (not (eq major-mode 'iam-policy-json-mode)) "package.json is not in iam-policy-json-mode"
                          major-mode)
          (iam-test-check (null (eglot-current-server)) "no eglot server for package.json"))
        ;; 2. policy.json, detected by content.
        (with-current-buffer (iam-test-open "policy.json")
          (iam-test-check (eq major-mode 'iam-policy-json-mode) "policy.json opens in iam-policy-json-mode" major-mode)
          (iam-test-wait "eglot to manage policy.json" (lambda () (bound-and-true-p eglot--managed-mode)))
          (setq server (eglot-current-server))
          (let ((command (process-command (jsonrpc--process server))))
            (iam-test-check (and (equal (file-name-nondirectory (car command)) "iam-policy-lsp")
                                 (equal (cdr command) (cdr iam-policy-lsp-command)))
                            "eglot runs iam-policy-lsp" command))
          (iam-test-check-effect "policy.json")
          (push `(first_diagnostics_ms . ,(iam-test-ms)) iam-test-report))
        ;; 3. unicode.json: emoji + CJK before the faulty token; then completion.
        (with-current-buffer (iam-test-open "unicode.json")
          (iam-test-wait "eglot to manage unicode.json" (lambda () (bound-and-true-p eglot--managed-mode)))
          (let* ((d (iam-test-check-effect "unicode.json"))
                 (beg (flymake-diagnostic-beg d)))
            ;; Replace "Alow" with "" and complete between the quotes.
            (goto-char beg)
            (delete-region beg (flymake-diagnostic-end d))
            (insert "\"\"")
            (backward-char 1)
            (let ((labels (iam-test-completion-labels)))
              (iam-test-check (and (member "Allow" labels) (member "Deny" labels))
                              "completion in \"Effect\": \"\" offers Allow and Deny" labels))))
        (setq ok t))
    (error (setq err (error-message-string e))))
  (when server
    (ignore-errors (eglot-shutdown server))
    (push `(server_stopped . ,(if (jsonrpc-running-p server) :json-false t)) iam-test-report))
  (push `(ok . ,(if ok t :json-false)) iam-test-report)
  (push `(emacs . ,emacs-version) iam-test-report)
  (push `(eglot . ,(let ((lib (or (locate-library "eglot") "")))
                      (if (string-match "eglot-\\([0-9.]+\\)/" lib) (match-string 1 lib) lib)))
        iam-test-report)
  (push `(checks . ,(vconcat (reverse iam-test-checks))) iam-test-report)
  (push `(skipped . []) iam-test-report)
  (when err (push `(error . ,err) iam-test-report))
  (push `(total_ms . ,(iam-test-ms)) iam-test-report)
  (with-temp-file (getenv "IAM_TEST_OUT")
    (insert (json-encode iam-test-report) "\n"))
  (kill-emacs (if ok 0 1)))
