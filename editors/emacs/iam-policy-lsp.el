;;; iam-policy-lsp.el --- iam-policy-lsp for AWS IAM policy JSON files, via eglot  -*- lexical-binding: t -*-

;; Tested headless with Emacs 28.2 + eglot 1.9 (Debian 12: emacs-nox, elpa-eglot); also for
;; Emacs 29+, where eglot is built in.  Use it from your init file:
;;
;;   (load "/path/to/iam-policy-lsp/editors/emacs/iam-policy-lsp.el")
;;
;; JSON files that are IAM policies (a "Statement" key in their first 4 KB, a CloudFormation
;; template, or a name like *.policy.json, *-policy.json, policies/**/*.json) open in
;; `iam-policy-json-mode', a JSON mode, and eglot starts `iam-policy-lsp' for them.  Other JSON
;; files keep their usual mode and server.

(require 'eglot)

(defvar iam-policy-lsp-command '("iam-policy-lsp" "--stdio")
  "The iam-policy-lsp server command; the program must be on `exec-path' or absolute.")

(defvar iam-policy-lsp-scan-bytes 4096
  "How much of a file is searched for a \"Statement\" key or a CloudFormation marker.")

;; The parent is Emacs's own JSON mode: js-json-mode on Emacs 29+, js-mode on Emacs 28.
(defalias 'iam-policy-lsp--parent-mode
  (if (fboundp 'js-json-mode) #'js-json-mode #'js-mode))

(define-derived-mode iam-policy-json-mode iam-policy-lsp--parent-mode "IAM-Policy"
  "Major mode for AWS IAM policy documents (JSON), served by iam-policy-lsp.")

(defun iam-policy-lsp--policy-content-p ()
  "Non-nil if the current buffer's first bytes look like an IAM policy or CloudFormation template.
Only JSON files (or unnamed buffers) are considered."
  (and (or (null buffer-file-name) (string-match-p "\\.jsonc?\\'" buffer-file-name))
       (save-excursion
         (save-restriction
           (widen)
           (let ((end (min (point-max) (+ (point-min) iam-policy-lsp-scan-bytes)))
                 (case-fold-search nil))
             (goto-char (point-min))
             (or (re-search-forward "\"Statement\"[ \t\r\n]*:" end t)
                 (progn (goto-char (point-min))
                        (re-search-forward "\"AWSTemplateFormatVersion\"[ \t\r\n]*:" end t))))))))

;; Content first (magic-mode-alist wins over auto-mode-alist), then names.
(add-to-list 'magic-mode-alist '(iam-policy-lsp--policy-content-p . iam-policy-json-mode))
(add-to-list 'auto-mode-alist '("[.-]policy\\.jsonc?\\'" . iam-policy-json-mode))
(add-to-list 'auto-mode-alist '("/policies/.*\\.jsonc?\\'" . iam-policy-json-mode))

;; languageId "json"; put first so it wins over the entries for js-mode/json-mode.
(add-to-list 'eglot-server-programs
             `((iam-policy-json-mode :language-id "json") . ,iam-policy-lsp-command))

(add-hook 'iam-policy-json-mode-hook #'eglot-ensure)

;; Rule settings go to the server as initializationOptions: replace the entry above with e.g.
;;   `((iam-policy-json-mode :language-id "json")
;;     . ("iam-policy-lsp" "--stdio" :initializationOptions (:rules (...))))

(provide 'iam-policy-lsp)
;;; iam-policy-lsp.el ends here
